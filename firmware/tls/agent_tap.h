/* Console milestone lines from what the device tells its gateway: the agent is
 * sans-io and has no events, so the link decodes the frames it sends
 * (ModuleRequest, DeployResult, StopResult, AppStatus) and prints one stable line for each
 * (formats in README, "Console"). */
#ifndef WB_TLS_AGENT_TAP_H
#define WB_TLS_AGENT_TAP_H

#include <stddef.h>
#include <stdint.h>

/* `frames`: whole length-prefixed frames, as wb_agent_take_output gives them. */
void wb_agent_tap_device_frames(const uint8_t *frames, size_t len, uint64_t now);

#endif
