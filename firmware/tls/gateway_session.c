#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "gateway_session.h"
#include "proto/messages.h"

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

static void print_slice(const char *label, wb_slice s)
{
    printf(" %s=%.*s", label, (int)s.len, (const char *)s.ptr);
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

void wb_gw_start(wb_gw_session *s, const wb_tls_identity *id, const wb_tls_io *io, const uint8_t *hello,
                 size_t hello_len, uint64_t now_ms)
{
    s->state = WB_GW_HANDSHAKE;
    s->started_ms = now_ms;
    s->deadline_ms = now_ms + WB_GW_HANDSHAKE_TIMEOUT_MS;
    s->retry_after_ms = 0;
    s->hello = hello;
    s->hello_len = hello_len;
    wb_frame_rx_init(&s->rx, s->frame, sizeof s->frame);
    wb_tls_heap_reset_peak();
    s->tls = wb_tls_open(id, io);
    if (s->tls == NULL) {
        printf("tls: FAILED set-up: CA bundle, certificate or key rejected, or out of memory\n");
        s->state = WB_GW_FAILED;
        return;
    }
    printf("tls: connecting to %s (TLS 1.3, x25519, ed25519, chacha20-poly1305)\n", id->server_name);
}

static void handshake(wb_gw_session *s, uint64_t now_ms)
{
    wb_tls_status st = wb_tls_handshake(s->tls);
    if (st == WB_TLS_AGAIN) return;
    if (st != WB_TLS_OK) {
        fail_tls(s, "handshake");
        return;
    }
    s->handshake_ms = (uint32_t)(now_ms - s->started_ms);
    printf("tls: handshake ok in %" PRIu32 " ms: %s %s, gateway certificate verified, max record %u bytes, "
           "TLS heap peak %u bytes\n",
           s->handshake_ms, wb_tls_cipher(s->tls), wb_tls_group(s->tls), wb_tls_max_record(s->tls),
           (unsigned)wb_tls_heap_peak());
    if (wb_tls_write(s->tls, s->hello, s->hello_len) != WB_TLS_OK) {
        fail_tls(s, "sending Hello");
        return;
    }
    printf("gateway: Hello sent (%u bytes)\n", (unsigned)s->hello_len);
    s->state = WB_GW_AWAIT_ANSWER;
    s->deadline_ms = now_ms + WB_GW_ANSWER_TIMEOUT_MS;
}

/* Logs one gateway message and moves the state. */
static void on_message(wb_gw_session *s, const uint8_t *payload, uint32_t len)
{
    wb_message m;
    uint64_t arena_mem[8]; /* Error's supportedVersions: the only array a gateway sends a device here */
    wb_arena arena;
    wb_arena_init(&arena, arena_mem, sizeof arena_mem);
    wb_decode_info info;
    wb_status st = wb_message_decode_from(WB_SENDER_GATEWAY, payload, len, &m, &arena, &info);
    if (st != WB_OK) {
        printf("gateway: undecodable message: %s at %s\n", wb_status_code(st), info.path.text);
        fail(s, "protocol: undecodable message from the gateway");
        return;
    }
    const wb_msg_kind *kind = wb_msg_kind_of(m.type);
    printf("gateway: %s #%" PRIu32 " (corr %" PRIu32 ")", kind->name, m.msg_id, m.correlation_id);
    switch (m.type) {
    case WB_MSG_WELCOME:
        print_slice("deviceId", m.body.welcome.device_id);
        print_slice("gatewayId", m.body.welcome.gateway_id);
        printf(" heartbeatIntervalMs=%" PRIu32 "\n", m.body.welcome.heartbeat_interval_ms);
        s->state = WB_GW_WELCOMED;
        break;
    case WB_MSG_ENROLLMENT_PENDING:
        print_slice("reason", m.body.enrollment_pending.reason);
        printf(" retryAfterMs=%" PRIu32 "\n", m.body.enrollment_pending.retry_after_ms);
        s->retry_after_ms = m.body.enrollment_pending.retry_after_ms;
        s->state = WB_GW_PENDING;
        break;
    case WB_MSG_REJECTED:
        print_slice("code", m.body.rejected.code);
        print_slice("reason", m.body.rejected.reason);
        printf("\n");
        wb_gw_stop(s);
        break;
    case WB_MSG_BYE:
        print_slice("reason", m.body.bye.reason);
        printf("\n");
        if (m.body.bye.has_retry_after_ms) s->retry_after_ms = m.body.bye.retry_after_ms;
        wb_gw_stop(s);
        break;
    case WB_MSG_ERROR:
        print_slice("code", m.body.error.code);
        print_slice("message", m.body.error.message);
        printf(" fatal=%s\n", m.body.error.fatal ? "true" : "false");
        if (m.body.error.fatal) wb_gw_stop(s);
        break;
    default:
        printf(" (not handled yet: the protocol session comes next)\n");
        break;
    }
}

static void receive(wb_gw_session *s)
{
    uint8_t buf[256];
    while (s->tls != NULL) {
        int n = wb_tls_read(s->tls, buf, sizeof buf);
        if (n == WB_TLS_AGAIN) return;
        if (n == WB_TLS_CLOSED) {
            printf("tls: gateway closed the connection\n");
            wb_gw_stop(s);
            return;
        }
        if (n < 0) {
            fail_tls(s, "receiving");
            return;
        }
        size_t at = 0;
        while (at < (size_t)n && s->tls != NULL) {
            size_t used;
            const uint8_t *frame;
            uint32_t frame_len;
            wb_status st = wb_frame_rx_push(&s->rx, buf + at, (size_t)n - at, &used, &frame, &frame_len);
            at += used;
            if (st != WB_OK) {
                fail(s, "protocol: bad framing from the gateway");
                return;
            }
            if (frame != NULL) on_message(s, frame, frame_len);
        }
    }
}

wb_gw_state wb_gw_poll(wb_gw_session *s, uint64_t now_ms)
{
    if (s->state == WB_GW_HANDSHAKE) {
        handshake(s, now_ms);
    }
    if (s->state == WB_GW_AWAIT_ANSWER || s->state == WB_GW_WELCOMED || s->state == WB_GW_PENDING) {
        receive(s);
    }
    if ((s->state == WB_GW_HANDSHAKE || s->state == WB_GW_AWAIT_ANSWER) && now_ms >= s->deadline_ms) {
        fail(s, s->state == WB_GW_HANDSHAKE ? "handshake: no answer from the gateway in time"
                                            : "protocol: no answer to Hello in time");
    }
    return s->state;
}

void wb_gw_stop(wb_gw_session *s)
{
    wb_tls_close(s->tls);
    s->tls = NULL;
    if (s->state != WB_GW_FAILED) s->state = WB_GW_CLOSED;
}
