# The runtime demo image (issue 7): build/<board>/wasmbed-demo.elf runs the
# example apps embedded in it (runtime/demo/) on the runtime, with their logs
# on the console. Included by the Makefile after the board rules, whose object
# lists it reuses; mk/runtime.mk has the runtime's own rules.

define runtime_demo_rules
# The demo image: the firmware's board, core and console objects, the runtime
# and the embedded apps (not the application, nor TLS).
$(1): $(BUILD)/$(1)/wasmbed-demo.elf
$(1)_DEMO_LINK := $$(filter $(BUILD)/$(1)/obj/core/% $(BUILD)/$(1)/obj/boards/%,$$($(1)_OBJS)) \
	$(BUILD)/$(1)/obj/app/console.o $$($(1)_DEMO_OBJS) $(BUILD)/$(1)/libwbruntime.a $(BUILD)/$(1)/libwamr.a
$(BUILD)/$(1)/wasmbed-demo.elf: $$($(1)_DEMO_LINK) $$($(1)_LDSCRIPT) boards/common/sections.ld
	@echo "  LD      $$@"
	$(Q)$$($(1)_CROSS)gcc $$($(1)_FLAGS) $$(CROSS_LDFLAGS) -T$$($(1)_LDSCRIPT) -Wl,-Map=$(BUILD)/$(1)/wasmbed-demo.map \
		-o $$@ $$($(1)_DEMO_LINK)
	@$$($(1)_CROSS)size $$@
endef
$(foreach b,$(BOARDS),$(eval $(call runtime_demo_rules,$(b))))
