/* The device agent (core/agent) over the TLS connection to its gateway: dials
 * wb_agent_endpoint() (the provisioned gateway, or where a Bye moved the
 * device), runs the handshake, feeds the plaintext to the agent, sends what
 * it queues, closes when it says so and waits the backoff it returns before
 * the next connection (new handshake). Prints the milestone lines of the
 * console (README, "Console"). Never blocks: call wb_agent_link_poll whenever
 * the device wakes (main loop, and the app's idle and host calls). Shared by
 * the boards and the host test client (tls/host/tls_probe.c). */
#ifndef WB_TLS_AGENT_LINK_H
#define WB_TLS_AGENT_LINK_H

#include <stdint.h>

#include "agent/agent.h"
#include "gateway_session.h"

typedef struct {
    /* A new connection to `endpoint` starts: the transport forgets the last
     * one (the board drains its link ring; the bridge dials on the first byte). */
    void (*open)(void *ctx, const char *endpoint);
    wb_tls_io io; /* io.ctx is also open's ctx */
} wb_agent_transport;

/* The device's credentials; the server name is set per connection from the endpoint. */
void wb_agent_link_start(wb_agent *agent, const wb_tls_identity *credentials, const wb_agent_transport *transport,
                         uint64_t now);
void wb_agent_link_poll(uint64_t now);
/* Closes the connection (close_notify) and stops. */
void wb_agent_link_stop(uint64_t now);
/* Connections made so far, and the state of the TLS connection. */
uint32_t wb_agent_link_connections(void);
wb_gw_state wb_agent_link_tls_state(void);

#endif
