/* The device agent on the board: its configuration (Hello, limits, trusted
 * publishers from the provisioning area, module slots on the heap) and the
 * runtime behind its hooks: a Deploy's verified module runs on WAMR from the
 * main loop, one app at a time (see README, "Running apps"). */
#ifndef WB_APP_DEVICE_AGENT_H
#define WB_APP_DEVICE_AGENT_H

#include "agent/agent.h"
#include "provisioning.h"

/* Module room per slot: the announced maxModuleBytes. */
#define DEVICE_MODULE_BYTES (24u * 1024u)
#define DEVICE_SLOTS 2u
/* What the memory limits of active apps must fit in (Hello ramBytes is the board's RAM). */
#define DEVICE_APP_RAM_BYTES (128u * 1024u)

/* Sets the agent up (NULL, with a console line, when it cannot be). */
wb_agent *device_agent_create(const wb_provisioning *p);

/* Runs the app the agent started, if any: returns when that run has ended.
 * Meanwhile the session and the console are served from the app's host calls
 * and sleeps (device_service). */
void device_agent_run_pending(void);

/* One round of everything the device serves besides an app: the console and
 * the gateway link. Never blocks. */
void device_service(void);

#endif
