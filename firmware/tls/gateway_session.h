/* The TLS connection to the gateway over a byte transport: the TLS 1.3
 * handshake (logged on the console with its timing and heap), then a
 * plaintext byte stream for the device agent (tls/agent_link.c), which owns
 * every protocol message. Non-blocking: wb_gw_poll advances the handshake as
 * far as the transport allows and returns. Shared by the boards and the host
 * test client. */
#ifndef WB_TLS_GATEWAY_SESSION_H
#define WB_TLS_GATEWAY_SESSION_H

#include <stddef.h>
#include <stdint.h>

#include "tls_client.h"

#define WB_GW_HANDSHAKE_TIMEOUT_MS 30000u

typedef enum {
    WB_GW_IDLE,
    WB_GW_HANDSHAKE,
    WB_GW_OPEN,   /* handshake done: wb_gw_read / wb_gw_write */
    WB_GW_CLOSED, /* ended cleanly (close_notify either way) */
    WB_GW_FAILED, /* TLS failure, handshake timeout */
} wb_gw_state;

typedef struct {
    wb_gw_state state;
    wb_tls *tls;
    uint64_t started_ms;
    uint32_t handshake_ms; /* duration of the last successful handshake */
} wb_gw_session;

/* Opens the TLS connection; the handshake starts at the next poll. */
void wb_gw_start(wb_gw_session *s, const wb_tls_identity *id, const wb_tls_io *io, uint64_t now_ms);
wb_gw_state wb_gw_poll(wb_gw_session *s, uint64_t now_ms);
/* Plaintext received: > 0 bytes, 0 none now, -1 the connection ended (state
 * CLOSED or FAILED, said on the console). Only while OPEN. */
int wb_gw_read(wb_gw_session *s, uint8_t *buf, size_t cap);
/* Sends all of buf; -1 (state FAILED) when the connection broke. */
int wb_gw_write(wb_gw_session *s, const uint8_t *buf, size_t len);
/* Closes (close_notify) and frees; the state becomes CLOSED unless it FAILED. */
void wb_gw_stop(wb_gw_session *s);

/* The host part of a "host:port" or "[v6]:port" endpoint into out
 * (NUL-terminated): the name the gateway's certificate must carry. */
int wb_gw_endpoint_host(const char *endpoint, char *out, size_t cap);

#endif
