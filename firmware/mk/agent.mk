# The device agent (issue 7): core/agent/ is part of CORE_SRCS; this adds its
# host tests. agent_test drives the agent with a scripted gateway peer; the
# fixtures (example modules, manifests signed by Node) are generated into
# build/host/agent_fixtures.h. agent_stdio runs the agent over stdin/stdout for
# firmware/test/agent.int.test.ts. Included by the Makefile after HOST_CFLAGS.

AGENT_FIXTURES := $(BUILD)/host/agent_fixtures.h
AGENT_WASMS := $(addprefix $(APPS_WASM_DIR)/,hello.wasm counter.wasm big-64k.wasm)
# Only the codec, the crypto and the agent: no board code.
AGENT_CORE := $(sort $(wildcard core/proto/*.c core/crypto/*.c core/agent/*.c))
AGENT_DEPS := $(AGENT_CORE) $(wildcard core/*/*.h host/agent_test_peer.h host/check.h)

# hello and counter come with the runtime's demo apps (mk/runtime.mk).
$(APPS_WASM_DIR)/big-64k.wasm:
	bash ../emulation/apps/build.sh

$(AGENT_FIXTURES): host/agent-fixtures.mjs $(AGENT_WASMS)
	@mkdir -p $(@D)
	$(Q)$(NODE) host/agent-fixtures.mjs $(APPS_WASM_DIR) $@

$(BUILD)/host/agent_test: host/agent_test.c host/agent_test_peer.c host/check.c $(AGENT_DEPS) $(AGENT_FIXTURES)
	@echo "  HOSTCC  $@"
	$(Q)$(HOST_CC) $(HOST_CFLAGS) -o $@ $< host/agent_test_peer.c host/check.c $(AGENT_CORE)

$(BUILD)/host/agent_stdio: host/agent_stdio.c $(AGENT_DEPS)
	@mkdir -p $(@D)
	@echo "  HOSTCC  $@"
	$(Q)$(HOST_CC) $(HOST_CFLAGS) -o $@ $< $(AGENT_CORE)

.PHONY: agent-host-test
agent-host-test: $(BUILD)/host/agent_test $(BUILD)/host/agent_stdio
	@$(BUILD)/host/agent_test
host-test: agent-host-test
