# WebAssembly runtime (issue 7): firmware/runtime/ on WAMR's classic
# interpreter. WAMR's C sources are the content of the `wamr-sys` crate
# (pinned, fetched on demand by tools/fetch-wamr.sh into a cache outside git).
# Included by the Makefile before the board rules: every board links
# <board>_LIBS += libwbruntime.a libwamr.a (pulled in only once the
# application calls the runtime). mk/runtime-demo.mk, included after the board
# rules, builds build/<board>/wasmbed-demo.elf, which runs example apps
# embedded in the image. host-test gains the runtime's host tests under ASan/UBSan.

WAMR_VERSION := 0.1.1
WASMBED_FW_CACHE ?= $(abspath $(CURDIR)/../.cache/firmware)
WAMR_DIR := $(WASMBED_FW_CACHE)/wamr-sys-$(WAMR_VERSION)
WAMR_STAMP := $(WAMR_DIR)/.complete
WAMR_CORE := $(WAMR_DIR)/core

# Classic interpreter, loader with full validation, the runtime API, the
# thread manager (only for its suspend flags: the CPU-time limit), utils and
# the pool allocator the memory API references; --gc-sections drops the rest.
WAMR_SRCS := iwasm/common/wasm_runtime_common.c iwasm/common/wasm_native.c iwasm/common/wasm_exec_env.c \
	iwasm/common/wasm_memory.c iwasm/interpreter/wasm_loader.c iwasm/interpreter/wasm_runtime.c \
	iwasm/interpreter/wasm_interp_classic.c iwasm/libraries/thread-mgr/thread_manager.c \
	shared/utils/bh_assert.c shared/utils/bh_common.c shared/utils/bh_list.c shared/utils/bh_log.c \
	shared/utils/runtime_timer.c \
	shared/utils/bh_vector.c shared/mem-alloc/mem_alloc.c shared/mem-alloc/ems/ems_alloc.c \
	shared/mem-alloc/ems/ems_hmu.c shared/mem-alloc/ems/ems_kfc.c
WAMR_PLATFORM_SRCS := runtime/wamr-platform/platform.c runtime/wamr-platform/libm_fixes.c
# Native calls go through raw natives (no argument marshalling in assembly),
# but WAMR links its generic invoker all the same.
WAMR_INVOKE_mps2-an385 := iwasm/common/arch/invokeNative_thumb.s
WAMR_INVOKE_riscv32-virt := iwasm/common/arch/invokeNative_general.c
WAMR_INVOKE_host := iwasm/common/arch/invokeNative_em64.s

# MVP only: no bulk memory, SIMD, shared memory, tail calls, AOT or WASI.
WAMR_DEFS := -DBH_PLATFORM_WASMBED -DWASM_ENABLE_INTERP=1 -DWASM_ENABLE_FAST_INTERP=0 -DWASM_ENABLE_AOT=0 \
	-DWASM_ENABLE_JIT=0 -DWASM_ENABLE_LIBC_BUILTIN=0 -DWASM_ENABLE_LIBC_WASI=0 -DWASM_ENABLE_THREAD_MGR=1 \
	-DWASM_ENABLE_LIB_PTHREAD=0 -DWASM_ENABLE_BULK_MEMORY=0 -DWASM_ENABLE_SHARED_MEMORY=0 \
	-DWASM_ENABLE_MULTI_MODULE=0 -DWASM_ENABLE_MINI_LOADER=0 -DWASM_ENABLE_LOG=0 -DWASM_ENABLE_SIMD=0 \
	-DWASM_ENABLE_TAIL_CALL=0 -DWASM_DISABLE_HW_BOUND_CHECK=1 -DBH_MALLOC=wasm_runtime_malloc \
	-DBH_FREE=wasm_runtime_free
# The snapshot predates RISC-V: MIPS selects its 32-bit generic native-call
# path (64-bit arguments aligned, shift counts masked in C), used with
# invokeNative_general.c; the raw natives of runtime/host_abi.c never go through it.
WAMR_DEFS_riscv32-virt := -DBUILD_TARGET_MIPS
WAMR_INCS := -Iruntime/wamr-platform -I$(WAMR_CORE)/shared/platform/include -I$(WAMR_CORE)/shared/utils \
	-I$(WAMR_CORE)/shared/mem-alloc -I$(WAMR_CORE)/iwasm/include -I$(WAMR_CORE)/iwasm/common \
	-I$(WAMR_CORE)/iwasm/interpreter -I$(WAMR_CORE)/iwasm/libraries/thread-mgr
# Third-party code: not our warnings (-w), but an undeclared function is a real bug.
# WAMR puns types through its value stack: no strict-aliasing assumptions (which
# also keeps the interpreter re-reading the suspend flag the tick interrupt sets).
WAMR_CFLAGS := -std=gnu99 -g -ffunction-sections -fdata-sections -fno-common -fno-strict-aliasing $(WAMR_DEFS) \
	-Iboards $(WAMR_INCS) -w -Werror=implicit-function-declaration

RUNTIME_SRCS := $(sort $(wildcard runtime/*.c))
# Our code sees WAMR's headers as system headers (they predate strict prototypes).
RUNTIME_CFLAGS = $(WAMR_DEFS) $(patsubst -I%,-isystem %,$(WAMR_INCS)) -Iruntime
INCLUDES += -Iruntime

# Example apps embedded in the demo image (emulation/apps builds them).
APPS_WASM_DIR := ../emulation/apps/dist/wasm
DEMO_APPS := hello counter trap memory-hog busy-loop
DEMO_WASMS := $(addprefix $(APPS_WASM_DIR)/,$(addsuffix .wasm,$(DEMO_APPS)))

.PHONY: runtime-host-test
$(WAMR_STAMP): tools/fetch-wamr.sh
	@echo "  FETCH   WAMR (wamr-sys $(WAMR_VERSION))"
	$(Q)tools/fetch-wamr.sh $(WAMR_DIR)
$(addprefix $(WAMR_CORE)/,$(WAMR_SRCS) $(WAMR_INVOKE_mps2-an385) $(WAMR_INVOKE_riscv32-virt) $(WAMR_INVOKE_host)): \
		| $(WAMR_STAMP)
	@:

# Objects depend on this file: a flag changed here rebuilds them.
# Only when missing: build.sh rebuilds every app from scratch.
$(DEMO_WASMS) &:
	bash ../emulation/apps/build.sh

$(BUILD)/demo/demo_apps.c: runtime/demo/embed-wasm.mjs $(DEMO_WASMS) $(BUILD)/host/wat/mvp-ops.wasm
	@mkdir -p $(@D)
	$(Q)$(NODE) runtime/demo/embed-wasm.mjs $@ $(DEMO_WASMS) $(BUILD)/host/wat/mvp-ops.wasm

define runtime_board_rules
$(1)_WAMR_OBJS := $(patsubst %,$(BUILD)/$(1)/wamr/%.o,$(basename $(WAMR_SRCS) $(WAMR_INVOKE_$(1))))
$(1)_RUNTIME_OBJS := $(patsubst %.c,$(BUILD)/$(1)/%.o,$(RUNTIME_SRCS))
$(1)_PLATFORM_OBJS := $(patsubst %.c,$(BUILD)/$(1)/%.o,$(WAMR_PLATFORM_SRCS))
$(1)_DEMO_OBJS := $(BUILD)/$(1)/runtime/demo/demo_main.o $(BUILD)/$(1)/demo/demo_apps.o
$(1)_LIBS += $(BUILD)/$(1)/libwbruntime.a $(BUILD)/$(1)/libwamr.a

$(BUILD)/$(1)/libwbruntime.a: $$($(1)_RUNTIME_OBJS)
	@echo "  AR      $$@"
	$(Q)rm -f $$@ && $$($(1)_CROSS)ar rcs $$@ $$^
# WAMR and its platform layer call each other: one archive.
$(BUILD)/$(1)/libwamr.a: $$($(1)_WAMR_OBJS) $$($(1)_PLATFORM_OBJS)
	@echo "  AR      $$@"
	$(Q)rm -f $$@ && $$($(1)_CROSS)ar rcs $$@ $$^
$(BUILD)/$(1)/wamr/%.o: $(WAMR_CORE)/%.c mk/runtime.mk
	@mkdir -p $$(@D)
	@echo "  CC      $$@"
	$(Q)$$($(1)_CROSS)gcc $$($(1)_ARCH) --specs=picolibc.specs -Os $(WAMR_CFLAGS) $(WAMR_DEFS_$(1)) \
		-fstack-usage -MMD -MP -c $$< -o $$@
$(BUILD)/$(1)/wamr/%.o: $(WAMR_CORE)/%.s
	@mkdir -p $$(@D)
	@echo "  AS      $$@"
	$(Q)$$($(1)_CROSS)gcc $$($(1)_ARCH) -c $$< -o $$@
$(BUILD)/$(1)/runtime/%.o: runtime/%.c mk/runtime.mk | $(WAMR_STAMP)
	@mkdir -p $$(@D)
	@echo "  CC      $$@"
	$(Q)$$($(1)_CROSS)gcc $$($(1)_ARCH) --specs=picolibc.specs $$(CROSS_CFLAGS) $$(RUNTIME_CFLAGS) $(WAMR_DEFS_$(1)) \
		-fstack-usage -MMD -MP -c $$< -o $$@
$(BUILD)/$(1)/demo/%.o: $(BUILD)/demo/%.c
	@mkdir -p $$(@D)
	@echo "  CC      $$@"
	$(Q)$$($(1)_CROSS)gcc $$($(1)_ARCH) --specs=picolibc.specs $$(CROSS_CFLAGS) -c $$< -o $$@
-include $$($(1)_WAMR_OBJS:.o=.d) $$($(1)_RUNTIME_OBJS:.o=.d) $$($(1)_PLATFORM_OBJS:.o=.d) $$($(1)_DEMO_OBJS:.o=.d)

endef
$(foreach b,$(BOARDS),$(eval $(call runtime_board_rules,$(b))))

# ---- host: the runtime and WAMR under ASan/UBSan ------------------------------

HOST_WAMR_OBJS := $(patsubst %,$(BUILD)/host/wamr/%.o,$(basename $(WAMR_SRCS) $(WAMR_INVOKE_host))) \
	$(patsubst %.c,$(BUILD)/host/%.o,$(WAMR_PLATFORM_SRCS))
HOST_RUNTIME_OBJS := $(patsubst %.c,$(BUILD)/host/%.o,$(RUNTIME_SRCS))
HOST_RT_CORE_OBJS := $(patsubst %.c,$(BUILD)/host/rt-core/%.o,$(wildcard core/proto/*.c))
HOST_RUNTIME_LIBS := $(BUILD)/host/libwbruntime.a $(BUILD)/host/libwamr.a $(BUILD)/host/libwbcore.a
HOST_WAMR_SANITIZE := -fsanitize=address,undefined -fno-sanitize=shift,alignment -fno-sanitize-recover=all
HOST_RUNTIME_DEFS := -DWB_RUNTIME_HOST -DBH_DEBUG=1

$(BUILD)/host/wamr/%.o: $(WAMR_CORE)/%.c mk/runtime.mk
	@mkdir -p $(@D)
	@echo "  HOSTCC  $@"
	$(Q)$(HOST_CC) -O1 -fno-omit-frame-pointer $(HOST_WAMR_SANITIZE) $(WAMR_CFLAGS) $(HOST_RUNTIME_DEFS) \
		-MMD -MP -c $< -o $@
$(BUILD)/host/wamr/%.o: $(WAMR_CORE)/%.s
	@mkdir -p $(@D)
	@echo "  HOSTAS  $@"
	$(Q)$(HOST_CC) -Wa,--noexecstack -c $< -o $@
$(BUILD)/host/runtime/%.o: runtime/%.c mk/runtime.mk | $(WAMR_STAMP)
	@mkdir -p $(@D)
	@echo "  HOSTCC  $@"
	$(Q)$(HOST_CC) $(HOST_CFLAGS) $(RUNTIME_CFLAGS) $(HOST_RUNTIME_DEFS) -MMD -MP -c $< -o $@
# The codec pieces the runtime uses (its UTF-8 check), as on the boards.
$(BUILD)/host/rt-core/%.o: %.c
	@mkdir -p $(@D)
	@echo "  HOSTCC  $@"
	$(Q)$(HOST_CC) $(HOST_CFLAGS) -MMD -MP -c $< -o $@
# Archives, as on the boards: a test links only what it uses.
$(BUILD)/host/libwbruntime.a: $(HOST_RUNTIME_OBJS)
$(BUILD)/host/libwamr.a: $(HOST_WAMR_OBJS)
$(BUILD)/host/libwbcore.a: $(HOST_RT_CORE_OBJS)
$(HOST_RUNTIME_LIBS):
	@echo "  AR      $@"
	$(Q)rm -f $@ && ar rcs $@ $^
-include $(HOST_WAMR_OBJS:.o=.d) $(HOST_RUNTIME_OBJS:.o=.d) $(HOST_RT_CORE_OBJS:.o=.d)

# Test modules: tests/wat/*.wat with post-MVP features disabled, except the
# post-mvp-*.wat ones, which exist to use them.
WAT_MVP_ONLY := --disable-mutable-globals --disable-saturating-float-to-int --disable-sign-extension \
	--disable-simd --disable-multi-value --disable-bulk-memory --disable-reference-types
RUNTIME_WATS := $(sort $(wildcard runtime/tests/wat/*.wat))
RUNTIME_WASMS := $(patsubst runtime/tests/wat/%.wat,$(BUILD)/host/wat/%.wasm,$(RUNTIME_WATS)) \
	$(BUILD)/host/wat/mvp-ops.wasm
# Every MVP instruction over edge-case operands (also run on the boards by the demo).
$(BUILD)/host/wat/mvp-ops.wasm: runtime/tests/gen-mvp-ops.mjs
	@mkdir -p $(@D)
	$(Q)$(NODE) runtime/tests/gen-mvp-ops.mjs $(@D)/mvp-ops.wat
	$(Q)wat2wasm $(WAT_MVP_ONLY) $(@D)/mvp-ops.wat -o $@
# `;; @include lib/x.wat` pastes emulation/apps' WAT helpers, as its build.sh does.
APPS_SRC_DIR := ../emulation/apps/src
$(BUILD)/host/wat/%.wasm: runtime/tests/wat/%.wat $(wildcard $(APPS_SRC_DIR)/lib/*.wat)
	@mkdir -p $(@D)
	$(Q)awk -v lib=$(APPS_SRC_DIR)/ '/^[[:space:]]*;; @include /{f = lib $$3; while ((getline l < f) > 0) print l; \
		close(f); next} {print}' $< >$(@D)/$*.expanded.wat
	$(Q)wat2wasm $(if $(filter post-mvp-%,$*),--enable-all,$(WAT_MVP_ONLY)) $(@D)/$*.expanded.wat -o $@

RUNTIME_HOST_TOOLS := runtime_test runtime_fuzz run_app
RUNTIME_TEST_OBJS := $(BUILD)/host/runtime/tests/host_board.o $(BUILD)/host/runtime/tests/test_host.o
$(addprefix $(BUILD)/host/,$(RUNTIME_HOST_TOOLS)): $(BUILD)/host/%: runtime/tests/%.c $(RUNTIME_TEST_OBJS) \
		$(HOST_RUNTIME_LIBS) host/check.c $(wildcard runtime/tests/*.h)
	@echo "  HOSTLD  $@"
	$(Q)$(HOST_CC) $(HOST_CFLAGS) $(RUNTIME_CFLAGS) $(HOST_RUNTIME_DEFS) -Iruntime/tests -o $@ $< host/check.c \
		$(RUNTIME_TEST_OBJS) $(HOST_RUNTIME_LIBS) -lm

runtime-host-test: $(addprefix $(BUILD)/host/,$(RUNTIME_HOST_TOOLS)) $(RUNTIME_WASMS) $(DEMO_WASMS)
	@$(BUILD)/host/runtime_test $(BUILD)/host/wat $(APPS_WASM_DIR)
	@$(BUILD)/host/runtime_fuzz $(BUILD)/host/wat $(APPS_WASM_DIR)
host-test: runtime-host-test
