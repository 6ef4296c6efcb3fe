/* The board side of the gateway connection: the device agent over TLS
 * (agent_link.c) on the link UART (serial.h: wb_link). */
#ifndef WB_TLS_GATEWAY_LINK_H
#define WB_TLS_GATEWAY_LINK_H

#include <stddef.h>

#include "agent/agent.h"
#include "provisioning.h"

/* Seeds the RNG when the provisioning has what TLS needs (platform CA, device
 * certificate) and the board has a link UART; otherwise prints one line
 * saying why the device stays offline and returns -1. */
int gateway_link_prepare(const wb_provisioning *p);

/* Starts connecting with this agent (after gateway_link_prepare succeeded). */
void gateway_link_start(const wb_provisioning *p, wb_agent *agent);

/* Advances the connection and the agent's timers; call whenever the device wakes. */
void gateway_link_poll(void);

/* The main stack's high-water mark since gateway_link_start painted it. */
size_t gateway_link_stack_peak(void);

#endif
