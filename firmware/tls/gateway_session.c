#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "gateway_session.h"

int wb_gw_endpoint_host(const char *endpoint, char *out, size_t cap)
{
    const char *colon = strrchr(endpoint, ':');
    if (colon == NULL) return -1;
    const char *start = endpoint, *end = colon;
    if (*start == '[') {
        start++;
        if (end[-1] != ']') return -1;
        end--;
    }
    size_t n = (size_t)(end - start);
    if (n == 0 || n >= cap) return -1;
    memcpy(out, start, n);
    out[n] = '\0';
    return 0;
}

static void fail(wb_gw_session *s, const char *what)
{
    printf("tls: FAILED %s\n", what);
    s->state = WB_GW_FAILED;
    wb_tls_close(s->tls);
    s->tls = NULL;
}

static void fail_tls(wb_gw_session *s, const char *phase)
{
    int err = wb_tls_error(s->tls);
    printf("tls: FAILED %s: %s (wolfSSL %d)\n", phase, wb_tls_error_text(err), err);
    s->state = WB_GW_FAILED;
    wb_tls_close(s->tls);
    s->tls = NULL;
}

void wb_gw_start(wb_gw_session *s, const wb_tls_identity *id, const wb_tls_io *io, uint64_t now_ms)
{
    s->state = WB_GW_HANDSHAKE;
    s->started_ms = now_ms;
    wb_tls_heap_reset_peak();
    s->tls = wb_tls_open(id, io);
    if (s->tls == NULL) {
        printf("tls: FAILED set-up: CA bundle, certificate or key rejected, or out of memory\n");
        s->state = WB_GW_FAILED;
        return;
    }
    printf("tls: connecting to %s (TLS 1.3, x25519, ed25519, chacha20-poly1305)\n", id->server_name);
}

wb_gw_state wb_gw_poll(wb_gw_session *s, uint64_t now_ms)
{
    if (s->state != WB_GW_HANDSHAKE) return s->state;
    wb_tls_status st = wb_tls_handshake(s->tls);
    if (st == WB_TLS_AGAIN) {
        if (now_ms - s->started_ms >= WB_GW_HANDSHAKE_TIMEOUT_MS) fail(s, "handshake: no answer from the gateway in time");
        return s->state;
    }
    if (st != WB_TLS_OK) {
        fail_tls(s, "handshake");
        return s->state;
    }
    s->handshake_ms = (uint32_t)(now_ms - s->started_ms);
    printf("tls: handshake ok in %" PRIu32 " ms: %s %s, gateway certificate verified, max record %u bytes, "
           "TLS heap peak %u bytes\n",
           s->handshake_ms, wb_tls_cipher(s->tls), wb_tls_group(s->tls), wb_tls_max_record(s->tls),
           (unsigned)wb_tls_heap_peak());
    s->state = WB_GW_OPEN;
    return s->state;
}

int wb_gw_read(wb_gw_session *s, uint8_t *buf, size_t cap)
{
    if (s->state != WB_GW_OPEN) return -1;
    int n = wb_tls_read(s->tls, buf, cap);
    if (n >= 0) return n;
    if (n == WB_TLS_READ_CLOSED) {
        printf("tls: gateway closed the connection\n");
        wb_gw_stop(s);
    } else {
        fail_tls(s, "receiving");
    }
    return -1;
}

int wb_gw_write(wb_gw_session *s, const uint8_t *buf, size_t len)
{
    if (s->state != WB_GW_OPEN) return -1;
    if (wb_tls_write(s->tls, buf, len) == WB_TLS_OK) return 0;
    fail_tls(s, "sending");
    return -1;
}

void wb_gw_stop(wb_gw_session *s)
{
    wb_tls_close(s->tls);
    s->tls = NULL;
    if (s->state != WB_GW_FAILED) s->state = WB_GW_CLOSED;
}
