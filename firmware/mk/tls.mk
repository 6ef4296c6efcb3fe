# TLS 1.3 client (issue 7): firmware/tls/ plus a minimal wolfSSL, fetched on
# demand by tools/fetch-wolfssl.sh into a cache outside git and built per board
# into build/<board>/libwolfssl.a with tls/user_settings.h. Included by the
# Makefile before the board rules: TLS_SRCS joins every board's objects, each
# board links <board>_LIBS.

WOLFSSL_VERSION := 5.5.4-2+deb12u2
WASMBED_FW_CACHE ?= $(abspath $(CURDIR)/../.cache/firmware)
WOLFSSL_DIR := $(WASMBED_FW_CACHE)/wolfssl-$(WOLFSSL_VERSION)
WOLFSSL_STAMP := $(WOLFSSL_DIR)/.complete

# What a TLS 1.3 client with X25519, Ed25519 and ChaCha20-Poly1305 needs;
# --gc-sections drops the rest. misc.c is inlined by the others.
WOLFSSL_SRCS := src/internal.c src/keys.c src/ssl.c src/tls.c src/tls13.c src/wolfio.c \
	wolfcrypt/src/asn.c wolfcrypt/src/chacha.c wolfcrypt/src/chacha20_poly1305.c wolfcrypt/src/curve25519.c \
	wolfcrypt/src/ed25519.c wolfcrypt/src/fe_low_mem.c wolfcrypt/src/ge_low_mem.c wolfcrypt/src/fe_operations.c \
	wolfcrypt/src/ge_operations.c wolfcrypt/src/hash.c wolfcrypt/src/hmac.c wolfcrypt/src/kdf.c \
	wolfcrypt/src/logging.c wolfcrypt/src/memory.c wolfcrypt/src/poly1305.c wolfcrypt/src/random.c \
	wolfcrypt/src/sha256.c wolfcrypt/src/sha512.c wolfcrypt/src/sp_int.c wolfcrypt/src/wc_port.c wolfcrypt/src/wolfmath.c

TLS_SRCS := $(sort $(wildcard tls/*.c))
# Everything may include tls/ headers; those that include wolfSSL's need its settings.
INCLUDES += -Itls -isystem $(WOLFSSL_DIR) -DWOLFSSL_USER_SETTINGS
# Third-party code: its own warnings are not ours to fix (-w), but a missing
# prototype would be a real bug.
WOLFSSL_CFLAGS := -std=gnu11 -Os -g -ffunction-sections -fdata-sections -fno-common \
	-DWOLFSSL_USER_SETTINGS -Itls -I$(WOLFSSL_DIR) -w -Werror=implicit-function-declaration

$(WOLFSSL_STAMP): tools/fetch-wolfssl.sh
	@echo "  FETCH   wolfSSL $(WOLFSSL_VERSION)"
	$(Q)WASMBED_FW_CACHE=$(WASMBED_FW_CACHE) tools/fetch-wolfssl.sh >/dev/null
	@touch $@

# The sources appear with the fetch.
$(addprefix $(WOLFSSL_DIR)/,$(WOLFSSL_SRCS)): | $(WOLFSSL_STAMP)
	@:

define tls_board_rules
$(1)_WOLFSSL_OBJS := $(patsubst %.c,$(BUILD)/$(1)/wolfssl/%.o,$(WOLFSSL_SRCS))
$(1)_LIBS += $(BUILD)/$(1)/libwolfssl.a

$(BUILD)/$(1)/libwolfssl.a: $$($(1)_WOLFSSL_OBJS)
	@echo "  AR      $$@"
	$(Q)rm -f $$@ && $$($(1)_CROSS)ar rcs $$@ $$^
$(BUILD)/$(1)/wolfssl/%.o: $(WOLFSSL_DIR)/%.c tls/user_settings.h mk/tls.mk
	@mkdir -p $$(@D)
	@echo "  CC      $$@"
	$(Q)$$($(1)_CROSS)gcc $$($(1)_ARCH) --specs=picolibc.specs $(WOLFSSL_CFLAGS) -fstack-usage -MMD -MP -c $$< -o $$@
-include $$($(1)_WOLFSSL_OBJS:.o=.d)
$(patsubst %.c,$(BUILD)/$(1)/obj/%.o,$(TLS_SRCS)): | $(WOLFSSL_STAMP)
endef
$(foreach b,$(BOARDS),$(eval $(call tls_board_rules,$(b))))

# ---- host: the same code under ASan/UBSan --------------------------------------
# wolfSSL's ref10 field arithmetic left-shifts negative limbs, which GCC defines
# (it does not use C's latitude there): that one check is off for wolfSSL only.

HOST_WOLFSSL_OBJS := $(patsubst %.c,$(BUILD)/host/wolfssl/%.o,$(WOLFSSL_SRCS))
HOST_TLS_CFLAGS := -std=c11 -g -O1 -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer \
	$(WARNINGS) $(INCLUDES) -Ihost -ffunction-sections -fdata-sections -Wl,--gc-sections

$(BUILD)/host/libwolfssl.a: $(HOST_WOLFSSL_OBJS)
	@echo "  AR      $@"
	$(Q)rm -f $@ && ar rcs $@ $^
$(BUILD)/host/wolfssl/%.o: $(WOLFSSL_DIR)/%.c tls/user_settings.h mk/tls.mk
	@mkdir -p $(@D)
	@echo "  HOSTCC  $@"
	$(Q)$(HOST_CC) -g -O1 -fsanitize=address,undefined -fno-sanitize=shift-base -fno-sanitize-recover=all -fno-omit-frame-pointer \
		$(filter-out -Os -g,$(WOLFSSL_CFLAGS)) -MMD -MP -c $< -o $@
-include $(HOST_WOLFSSL_OBJS:.o=.d)

# The board glue (gateway_link.c) stays out: host_board.c stands in for the board.
# --gc-sections as on the boards: asn.c references big-integer code no Ed25519
# certificate reaches, and which is not built.
TLS_HOST_COMMON := tls/host/host_board.c host/check.c $(filter-out tls/gateway_link.c,$(TLS_SRCS)) $(CORE_SRCS) app/selftest.c
TLS_HOST_DEPS := $(TLS_HOST_COMMON) $(wildcard tls/*.h tls/host/*.h core/*.h core/*/*.h host/check.h) $(BUILD)/host/libwolfssl.a

# tls_test: unit checks (entropy, trust block, endpoint host, error texts, a
# handshake-free wolfSSL set-up); tls_probe: the gateway session over TCP, run
# by firmware/test/tls.int.test.ts against a real gateway.
$(BUILD)/host/tls_test: tls/host/tls_test.c $(TLS_HOST_DEPS) | $(WOLFSSL_STAMP)
	@mkdir -p $(@D)
	@echo "  HOSTCC  $@"
	$(Q)$(HOST_CC) $(HOST_TLS_CFLAGS) -o $@ $< $(TLS_HOST_COMMON) $(BUILD)/host/libwolfssl.a
$(BUILD)/host/tls_probe: tls/host/tls_probe.c $(TLS_HOST_DEPS) | $(WOLFSSL_STAMP)
	@mkdir -p $(@D)
	@echo "  HOSTCC  $@"
	$(Q)$(HOST_CC) $(HOST_TLS_CFLAGS) -o $@ $< $(TLS_HOST_COMMON) $(BUILD)/host/libwolfssl.a

.PHONY: tls-host-test
tls-host-test: $(BUILD)/host/tls_test $(BUILD)/host/tls_probe
	@$(BUILD)/host/tls_test
host-test: tls-host-test
