/* The session: phases, message ids, enrollment, heartbeats and what each phase
 * accepts (docs/protocol.md §7.1, §7.2), mirroring the TypeScript device of
 * emulation/sim-device (device-session.ts). */
#include <stdio.h>
#include <string.h>

#include "agent/agent_internal.h"

/* Gateway messages decode into at most this many array bytes (Error supportedVersions). */
#define AGENT_DECODE_ARENA 64u

static const char *check_config(wb_agent *a)
{
    const wb_agent_config *c = &a->cfg;
    const char *texts[] = {c->firmware, c->board, c->arch, c->runtime_name, c->runtime_version};
    for (unsigned i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        if (texts[i] == NULL) return "firmware, board, arch and runtime name/version are required";
    }
    if (c->hooks.start == NULL || c->hooks.stop == NULL || c->hooks.random_u32 == NULL) {
        return "hooks start, stop and random_u32 are required";
    }
    if (c->rx_buf == NULL || c->rx_cap < WB_MIN_DEVICE_FRAME_BYTES) return "rx_cap (maxFrameBytes) must be at least 4096";
    if (c->tx_buf == NULL) return "tx_buf is required";
    if (c->max_instances > WB_AGENT_MAX_APPS) return "max_instances exceeds WB_AGENT_MAX_APPS";
    if (c->host_function_count > WB_AGENT_MAX_HOST_FUNCTIONS) return "too many host functions";
    if (c->host_function_count > 0 && c->host_functions == NULL) return "host_functions missing";
    if (c->trusted_key_count > 0 && c->trusted_keys == NULL) return "trusted_keys missing";
    if (c->endpoint == NULL || !wb_endpoint_valid((const uint8_t *)c->endpoint, strlen(c->endpoint))) {
        return "endpoint must be \"host:port\"";
    }
    if (c->slot_count == 0 || c->slot_count > WB_AGENT_MAX_SLOTS) return "slot_count must be 1..WB_AGENT_MAX_SLOTS";
    uint32_t room = UINT32_MAX;
    for (unsigned i = 0; i < c->slot_count; i++) {
        if (c->slots[i].base == NULL || c->slots[i].size <= WB_AGENT_SLOT_MANIFEST_BYTES) {
            return "every slot needs more than WB_AGENT_SLOT_MANIFEST_BYTES bytes";
        }
        uint32_t r = c->slots[i].size - WB_AGENT_SLOT_MANIFEST_BYTES;
        if (r < room) room = r;
    }
    if (c->max_module_bytes > room) return "max_module_bytes exceeds a slot's module room";
    a->module_room = c->max_module_bytes != 0 ? c->max_module_bytes : room;
    for (unsigned i = 0; i < c->host_function_count; i++) a->host_functions[i] = agent_cstr(c->host_functions[i]);
    size_t hello = agent_hello_worst_case(a);
    if (hello == 0) return "the device description does not form a valid Hello (texts 1-128 bytes, host function names)";
    a->tx_needed = (uint32_t)(hello + WB_AGENT_TX_BURST_BYTES);
    if (a->tx_needed > c->tx_cap) return "tx_cap too small for a full Hello plus WB_AGENT_TX_BURST_BYTES";
    return NULL;
}

wb_status wb_agent_init(wb_agent *a, const wb_agent_config *config)
{
    memset(a, 0, sizeof *a);
    a->cfg = *config;
    if (a->cfg.app_ram_bytes == 0) a->cfg.app_ram_bytes = a->cfg.ram_bytes;
    a->problem = check_config(a);
    if (a->problem != NULL) return WB_ERR_INVALID_ARGUMENT;
    for (unsigned i = 0; i < WB_AGENT_MAX_APPS; i++) {
        a->apps[i].slot = -1;
        a->apps[i].prev_slot = -1;
    }
    a->phase = WB_AGENT_OFFLINE;
    a->next_run_id = 1;
    a->log_tokens_milli = WB_AGENT_LOG_BURST * 1000u;
    return WB_OK;
}

const char *wb_agent_problem(const wb_agent *a)
{
    return a->problem;
}

uint32_t wb_agent_tx_needed(const wb_agent *a)
{
    return a->tx_needed;
}

unsigned agent_actions(const wb_agent *a)
{
    unsigned bits = a->tx_len > 0 ? WB_AGENT_OUTPUT : 0;
    if (a->phase == WB_AGENT_CLOSING) bits |= WB_AGENT_CLOSE;
    return bits;
}

bool agent_established(const wb_agent *a)
{
    return a->phase == WB_AGENT_ESTABLISHED;
}

void agent_end(wb_agent *a, wb_agent_end_kind kind, const char *code, size_t code_len)
{
    if (a->phase == WB_AGENT_OFFLINE || a->phase == WB_AGENT_CLOSING) return;
    if (a->phase == WB_AGENT_PENDING && a->pending_retry_known) {
        a->end.has_retry_after = true;
        a->end.retry_after_ms = a->pending_retry_after_ms;
    }
    a->end.kind = kind;
    agent_copy_text(a->end.code, sizeof a->end.code, (const uint8_t *)code, code_len);
    a->phase = WB_AGENT_CLOSING;
    /* The transfer belongs to the session; its bytes stay in the slot for resuming. */
    a->transfer.active = false;
}

void agent_violation(wb_agent *a, const char *code, const char *message, uint32_t correlation_id)
{
    if (a->phase == WB_AGENT_OFFLINE || a->phase == WB_AGENT_CLOSING) return;
    agent_send_error(a, code, message, true, correlation_id);
    agent_end(a, WB_AGENT_END_PROTOCOL_ERROR, code, strlen(code));
}

unsigned wb_agent_on_connected(wb_agent *a, uint64_t now)
{
    a->session++;
    a->connected = true;
    a->phase = WB_AGENT_ENROLLING;
    wb_frame_rx_init(&a->rx, a->cfg.rx_buf, a->cfg.rx_cap);
    a->tx_len = 0;
    a->last_sent = 0;
    a->last_received = 0;
    a->pending_retry_known = false;
    a->heartbeat_seq = 0;
    a->heartbeat_interval = 0;
    memset(&a->end, 0, sizeof a->end);
    memset(&a->transfer, 0, sizeof a->transfer);
    a->reply_deadline = now + WB_AGENT_ENROLLMENT_REPLY_TIMEOUT_MS;
    agent_send_hello(a);
    return agent_actions(a);
}

static void sync_clock(wb_agent *a, uint64_t server_time_ms, uint64_t now)
{
    a->clock_synced = true;
    a->server_time_base = server_time_ms;
    a->server_time_at = now;
}

uint64_t wb_agent_device_time(const wb_agent *a, uint64_t now)
{
    if (!a->clock_synced) return now;
    uint64_t t = a->server_time_base + (now - a->server_time_at);
    return t > WB_MAX_U53 ? WB_MAX_U53 : t;
}

static void on_welcome(wb_agent *a, const wb_welcome *w, uint64_t now)
{
    a->phase = WB_AGENT_ESTABLISHED;
    a->end.was_established = true;
    a->pending_retry_known = false;
    a->established_at = now;
    a->heartbeat_interval = w->heartbeat_interval_ms;
    a->next_heartbeat = now + w->heartbeat_interval_ms;
    a->ack_deadline = now + (uint64_t)WB_AGENT_HEARTBEAT_MISSES * w->heartbeat_interval_ms;
    agent_copy_text(a->device_id, sizeof a->device_id, w->device_id.ptr, w->device_id.len);
    agent_copy_text(a->gateway_id, sizeof a->gateway_id, w->gateway_id.ptr, w->gateway_id.len);
    sync_clock(a, w->server_time_ms, now);
}

static void on_error(wb_agent *a, const wb_message *m)
{
    const wb_error_msg *e = &m->body.error;
    if (a->transfer.active && a->transfer.request_msg_id != 0 && m->correlation_id == a->transfer.request_msg_id) {
        agent_on_request_error(a, e);
    }
    if (e->fatal) agent_end(a, WB_AGENT_END_PEER_ERROR, (const char *)e->code.ptr, e->code.len);
}

static void on_bye(wb_agent *a, const wb_bye *b)
{
    agent_end(a, WB_AGENT_END_BYE, (const char *)b->reason.ptr, b->reason.len);
    if (b->has_retry_after_ms) { /* the Bye's own value wins over EnrollmentPending's */
        a->end.has_retry_after = true;
        a->end.retry_after_ms = b->retry_after_ms;
    }
    if (b->has_endpoint && a->cfg.follow_redirects) {
        a->end.redirected = true;
        agent_copy_text(a->end.endpoint, sizeof a->end.endpoint, b->endpoint.ptr, b->endpoint.len);
    }
}

static const char *type_name(uint32_t type)
{
    const wb_msg_kind *kind = wb_msg_kind_of(type);
    return kind != NULL ? kind->name : "message";
}

static const char *phase_name(wb_agent_phase phase)
{
    switch (phase) {
    case WB_AGENT_ENROLLING: return "enrolling";
    case WB_AGENT_PENDING: return "pending";
    case WB_AGENT_ESTABLISHED: return "established";
    default: return "closed";
    }
}

static void dispatch_established(wb_agent *a, const wb_message *m, uint64_t now)
{
    switch (m->type) {
    case WB_MSG_HEARTBEAT_ACK:
        a->ack_deadline = now + (uint64_t)WB_AGENT_HEARTBEAT_MISSES * a->heartbeat_interval;
        sync_clock(a, m->body.heartbeat_ack.server_time_ms, now);
        return;
    case WB_MSG_DEPLOY: agent_on_deploy(a, m, now); return;
    case WB_MSG_MODULE_CHUNK: agent_on_chunk(a, m, now); return;
    case WB_MSG_STOP: {
        const wb_slice id = m->body.stop.app_id;
        agent_cancel_transfer(a, (const char *)id.ptr, id.len);
        wb_agent_app *app = agent_app_find(a, id.ptr, id.len);
        bool held = agent_stop_app(a, id.ptr, id.len);
        wb_message r;
        memset(&r, 0, sizeof r);
        r.type = WB_MSG_STOP_RESULT;
        r.correlation_id = m->msg_id;
        r.body.stop_result.app_id = id;
        r.body.stop_result.ok = true;
        agent_send(a, &r, false);
        if (held) agent_send_app_status(a, app);
        return;
    }
    default: break;
    }
}

static void dispatch(wb_agent *a, const wb_message *m, uint64_t now)
{
    const uint32_t t = m->type;
    if ((t == WB_MSG_WELCOME || t == WB_MSG_ENROLLMENT_PENDING || t == WB_MSG_REJECTED) &&
        m->correlation_id != a->hello_msg_id) {
        char text[80];
        snprintf(text, sizeof text, "%s must answer Hello %lu", type_name(t), (unsigned long)a->hello_msg_id);
        agent_violation(a, "invalid_message", text, m->msg_id);
        return;
    }
    switch (t) {
    case WB_MSG_ERROR: on_error(a, m); return;
    case WB_MSG_BYE: on_bye(a, &m->body.bye); return;
    case WB_MSG_REJECTED:
        if (a->phase == WB_AGENT_ESTABLISHED) break;
        /* §6.1: on revocation the device SHOULD stop its applications. */
        if (agent_slice_eq(m->body.rejected.code, "revoked", 7)) agent_stop_all(a);
        agent_end(a, WB_AGENT_END_REJECTED, (const char *)m->body.rejected.code.ptr, m->body.rejected.code.len);
        return;
    case WB_MSG_ENROLLMENT_PENDING:
        if (a->phase != WB_AGENT_ENROLLING) break;
        a->phase = WB_AGENT_PENDING;
        a->pending_retry_known = true;
        a->pending_retry_after_ms = m->body.enrollment_pending.retry_after_ms;
        a->reply_deadline = now + WB_AGENT_PENDING_HOLD_MS;
        return;
    case WB_MSG_WELCOME:
        if (a->phase == WB_AGENT_ESTABLISHED) break;
        on_welcome(a, &m->body.welcome, now);
        return;
    default:
        if (a->phase != WB_AGENT_ESTABLISHED) break;
        dispatch_established(a, m, now);
        return;
    }
    char text[80];
    snprintf(text, sizeof text, "%s while %s", type_name(t), phase_name(a->phase));
    agent_violation(a, "unexpected_message", text, m->msg_id);
}

static void on_frame(wb_agent *a, const uint8_t *payload, uint32_t len, uint64_t now)
{
    uint8_t arena_buf[AGENT_DECODE_ARENA];
    wb_arena arena;
    wb_arena_init(&arena, arena_buf, sizeof arena_buf);
    wb_message m;
    wb_decode_info info;
    wb_status s = wb_message_decode_from(WB_SENDER_GATEWAY, payload, len, &m, &arena, &info);
    if (s == WB_ERR_UNKNOWN_TYPE && a->phase == WB_AGENT_ESTABLISHED && info.msg_id == a->last_received + 1) {
        /* Survivable once established (§6); it still uses up its msgId. */
        a->last_received = info.msg_id;
        char text[48];
        snprintf(text, sizeof text, "unknown message type %lu", (unsigned long)info.type);
        agent_send_error(a, "unknown_type", text, false, info.msg_id);
        return;
    }
    const wb_msg_kind *kind = wb_msg_kind_of(info.type);
    if (s == WB_ERR_NO_SPACE && kind != NULL && !(kind->sender & WB_SENDER_GATEWAY)) {
        /* Only a device's message (a Hello's app list) outgrows the arena: it is the direction that is wrong. */
        s = WB_ERR_UNEXPECTED_MESSAGE;
    }
    if (s != WB_OK) {
        char text[WB_PATH_MAX + 48];
        const char *code = s == WB_ERR_NO_SPACE ? "internal" : wb_status_code(s);
        if (info.path.len > 0 && s != WB_ERR_UNEXPECTED_MESSAGE) snprintf(text, sizeof text, "%s at %s", code, info.path.text);
        else if (s == WB_ERR_UNEXPECTED_MESSAGE) snprintf(text, sizeof text, "%s is not sent by a gateway", type_name(info.type));
        else snprintf(text, sizeof text, "%s", code);
        agent_violation(a, code, text, info.msg_id);
        return;
    }
    if (m.msg_id != a->last_received + 1) {
        char text[64];
        snprintf(text, sizeof text, "msgId %lu after %lu", (unsigned long)m.msg_id, (unsigned long)a->last_received);
        agent_violation(a, "replayed_message", text, m.msg_id);
        return;
    }
    a->last_received = m.msg_id;
    dispatch(a, &m, now);
}

unsigned wb_agent_on_bytes(wb_agent *a, const uint8_t *buf, size_t len, size_t *used, uint64_t now)
{
    size_t done = 0;
    bool live = a->phase == WB_AGENT_ENROLLING || a->phase == WB_AGENT_PENDING || a->phase == WB_AGENT_ESTABLISHED;
    if (!live) done = len; /* nobody is listening any more */
    while (done < len && (a->phase == WB_AGENT_ENROLLING || a->phase == WB_AGENT_PENDING ||
                          a->phase == WB_AGENT_ESTABLISHED)) {
        /* Back-pressure: a frame is taken in only when its answers fit. */
        if (agent_tx_free(a) < WB_AGENT_TX_BURST_BYTES) break;
        size_t consumed = 0;
        const uint8_t *frame = NULL;
        uint32_t frame_len = 0;
        wb_status s = wb_frame_rx_push(&a->rx, buf + done, len - done, &consumed, &frame, &frame_len);
        done += consumed;
        if (s != WB_OK) {
            agent_violation(a, wb_status_code(s),
                            s == WB_ERR_FRAME_TOO_LARGE ? "frame over the device's maxFrameBytes" : "zero-length frame", 0);
            break;
        }
        if (frame != NULL) on_frame(a, frame, frame_len, now);
    }
    if (a->phase == WB_AGENT_CLOSING || a->phase == WB_AGENT_OFFLINE) done = len;
    if (used != NULL) *used = done;
    return agent_actions(a);
}

static void session_tick(wb_agent *a, uint64_t now)
{
    if ((a->phase == WB_AGENT_ENROLLING || a->phase == WB_AGENT_PENDING) && now >= a->reply_deadline) {
        if (a->phase == WB_AGENT_ENROLLING) agent_end(a, WB_AGENT_END_REPLY_TIMEOUT, "", 0);
        else agent_end(a, WB_AGENT_END_PENDING_TIMEOUT, "", 0);
        return;
    }
    if (a->phase != WB_AGENT_ESTABLISHED) return;
    /* The gateway acks every Heartbeat: a silent one is gone even if TCP has not noticed. */
    if (now >= a->ack_deadline) {
        agent_end(a, WB_AGENT_END_ACK_TIMEOUT, "", 0);
        return;
    }
    if (now >= a->next_heartbeat && agent_send_heartbeat(a, now)) {
        a->next_heartbeat += a->heartbeat_interval;
        /* After a long stall, keep the rhythm from now rather than sending a burst. */
        if (a->next_heartbeat <= now) a->next_heartbeat = now + a->heartbeat_interval;
    }
    agent_transfer_tick(a, now);
}

unsigned wb_agent_tick(wb_agent *a, uint64_t now)
{
    session_tick(a, now);
    agent_apps_tick(a, now);
    return agent_actions(a);
}

static uint64_t earliest(uint64_t x, uint64_t y)
{
    return x < y ? x : y;
}

uint64_t wb_agent_next_wakeup(const wb_agent *a)
{
    uint64_t t = agent_apps_next_wakeup(a);
    if (a->phase == WB_AGENT_ENROLLING || a->phase == WB_AGENT_PENDING) t = earliest(t, a->reply_deadline);
    if (a->phase == WB_AGENT_ESTABLISHED) {
        t = earliest(t, earliest(a->next_heartbeat, a->ack_deadline));
        if (a->transfer.active && a->transfer.request_msg_id != 0) t = earliest(t, a->transfer.request_deadline);
    }
    return t;
}

uint32_t wb_agent_on_disconnected(wb_agent *a, uint64_t now)
{
    if (!a->connected) {
        memset(&a->end, 0, sizeof a->end);
        a->end.kind = WB_AGENT_END_CONNECT_FAILED;
    } else if (a->phase != WB_AGENT_CLOSING) {
        agent_end(a, WB_AGENT_END_TRANSPORT, "", 0);
    }
    a->phase = WB_AGENT_OFFLINE;
    a->connected = false;
    a->transfer.active = false;
    a->tx_len = 0;
    return agent_next_delay(a, now);
}

wb_agent_phase wb_agent_phase_of(const wb_agent *a)
{
    return a->phase;
}

const wb_agent_end *wb_agent_last_end(const wb_agent *a)
{
    return &a->end;
}

const char *wb_agent_device_id(const wb_agent *a)
{
    return a->device_id;
}

const wb_agent_app *wb_agent_find_app(const wb_agent *a, const char *app_id)
{
    return agent_app_find((wb_agent *)a, (const uint8_t *)app_id, strlen(app_id));
}

const char *wb_agent_end_kind_text(wb_agent_end_kind kind)
{
    static const char *const names[] = {"none", "connect_failed", "transport", "rejected", "bye", "peer_error",
                                        "protocol_error", "reply_timeout", "pending_timeout", "ack_timeout",
                                        "msg_id_exhausted", "internal"};
    _Static_assert(sizeof names / sizeof names[0] == WB_AGENT_END_INTERNAL + 1, "one name per wb_agent_end_kind");
    return (unsigned)kind < sizeof names / sizeof names[0] ? names[kind] : "?";
}
