/* The device's first contact with its gateway over an established byte
 * transport: the TLS 1.3 handshake, then Hello, then the gateway's answer
 * (Welcome, EnrollmentPending or Rejected), each step logged on the console
 * with its timing. After the answer the session stays open and logs what the
 * gateway sends; the full protocol session (heartbeats, deployments) is the
 * next layer's. Non-blocking: wb_gw_poll advances as far as the transport
 * allows and returns. Shared by the boards and the host test client. */
#ifndef WB_TLS_GATEWAY_SESSION_H
#define WB_TLS_GATEWAY_SESSION_H

#include <stddef.h>
#include <stdint.h>

#include "proto/frame.h"
#include "tls_client.h"

#define WB_GW_HANDSHAKE_TIMEOUT_MS 30000u
#define WB_GW_ANSWER_TIMEOUT_MS 20000u
#define WB_GW_FRAME_BYTES 4096u /* the device's maxFrameBytes */

typedef enum {
    WB_GW_IDLE,
    WB_GW_HANDSHAKE,
    WB_GW_AWAIT_ANSWER, /* Hello sent */
    WB_GW_WELCOMED,
    WB_GW_PENDING,      /* EnrollmentPending: open, waiting for approval */
    WB_GW_CLOSED,       /* ended cleanly (Rejected, Bye, close_notify) */
    WB_GW_FAILED,       /* TLS or protocol failure, timeout */
} wb_gw_state;

typedef struct {
    wb_gw_state state;
    wb_tls *tls;
    uint64_t started_ms;
    uint64_t deadline_ms;
    uint32_t handshake_ms; /* duration of the last successful handshake */
    uint32_t retry_after_ms; /* the gateway's hint (EnrollmentPending, Bye), 0 if none */
    const uint8_t *hello;
    size_t hello_len;
    wb_frame_rx rx;
    uint8_t frame[WB_GW_FRAME_BYTES];
} wb_gw_session;

/* Opens the TLS connection; the handshake starts at the next poll. `hello` (a
 * whole frame, prefix included) must stay valid for the session. */
void wb_gw_start(wb_gw_session *s, const wb_tls_identity *id, const wb_tls_io *io, const uint8_t *hello,
                 size_t hello_len, uint64_t now_ms);
wb_gw_state wb_gw_poll(wb_gw_session *s, uint64_t now_ms);
/* Closes (close_notify) and frees; the state becomes CLOSED unless it FAILED. */
void wb_gw_stop(wb_gw_session *s);

/* The host part of a "host:port" or "[v6]:port" endpoint into out
 * (NUL-terminated): the name the gateway's certificate must carry. */
int wb_gw_endpoint_host(const char *endpoint, char *out, size_t cap);

#endif
