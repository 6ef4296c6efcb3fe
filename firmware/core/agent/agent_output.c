/* The output queue and the messages the device sends. Messages are encoded
 * straight into the queue as whole frames; the msgId counts only messages that
 * made it in, so the numbering never has gaps. */
#include <string.h>

#include "agent/agent_internal.h"

uint32_t agent_tx_free(const wb_agent *a)
{
    return a->cfg.tx_cap - a->tx_len;
}

uint32_t agent_send(wb_agent *a, wb_message *m, bool optional)
{
    if (a->phase == WB_AGENT_OFFLINE || a->phase == WB_AGENT_CLOSING) return 0;
    if (a->last_sent == UINT32_MAX) {
        agent_end(a, WB_AGENT_END_MSG_ID_EXHAUSTED, "msg_id_exhausted", 16);
        return 0;
    }
    m->version = WB_PROTOCOL_VERSION;
    m->msg_id = a->last_sent + 1;
    size_t len = 0;
    wb_status s = wb_message_encode_frame(m, a->cfg.tx_buf + a->tx_len, agent_tx_free(a), &len, NULL);
    if (s != WB_OK) {
        if (!optional) {
            if (s == WB_ERR_NO_SPACE) agent_end(a, WB_AGENT_END_INTERNAL, "output_full", 11);
            else agent_end(a, WB_AGENT_END_INTERNAL, "encode_failed", 13);
        }
        return 0;
    }
    a->tx_len += (uint32_t)len;
    a->last_sent = m->msg_id;
    return m->msg_id;
}

size_t wb_agent_take_output(wb_agent *a, uint8_t *buf, size_t cap)
{
    size_t n = a->tx_len < cap ? a->tx_len : cap;
    if (n == 0) return 0;
    memcpy(buf, a->cfg.tx_buf, n);
    memmove(a->cfg.tx_buf, a->cfg.tx_buf + n, a->tx_len - n);
    a->tx_len -= (uint32_t)n;
    return n;
}

const uint8_t *wb_agent_output_peek(const wb_agent *a, size_t *len)
{
    *len = a->tx_len;
    return a->cfg.tx_buf;
}

void wb_agent_output_consume(wb_agent *a, size_t n)
{
    if (n > a->tx_len) n = a->tx_len;
    memmove(a->cfg.tx_buf, a->cfg.tx_buf + n, a->tx_len - n);
    a->tx_len -= (uint32_t)n;
}

size_t wb_agent_output_pending(const wb_agent *a)
{
    return a->tx_len;
}

static void summary_of(const wb_agent_app *app, wb_app_summary *s)
{
    memset(s, 0, sizeof *s);
    s->app_id = (wb_slice){(const uint8_t *)app->app_id, app->app_id_len};
    s->revision = app->revision;
    s->sha256 = (wb_slice){app->sha256, 32};
    s->state = app->state;
    s->restarts = app->restarts;
    s->has_error = app->has_error;
    if (app->has_error) {
        s->error.code = agent_cstr(app->error_code);
        s->error.message = agent_cstr(app->error_message);
    }
}

uint32_t agent_app_summaries(const wb_agent *a, wb_app_summary *out)
{
    uint32_t n = 0;
    for (unsigned i = 0; i < WB_AGENT_MAX_APPS; i++) {
        if (a->apps[i].used) summary_of(&a->apps[i], &out[n++]);
    }
    return n;
}

static const wb_slice redirect_feature = WB_SLICE_LIT("redirect");

static void fill_hello(const wb_agent *a, wb_message *m, wb_app_summary *apps, uint32_t app_count)
{
    memset(m, 0, sizeof *m);
    m->type = WB_MSG_HELLO;
    wb_hello *h = &m->body.hello;
    h->firmware = agent_cstr(a->cfg.firmware);
    h->board = agent_cstr(a->cfg.board);
    h->arch = agent_cstr(a->cfg.arch);
    h->ram_bytes = a->cfg.ram_bytes;
    h->max_frame_bytes = a->cfg.rx_cap;
    h->runtime.name = agent_cstr(a->cfg.runtime_name);
    h->runtime.version = agent_cstr(a->cfg.runtime_version);
    h->runtime.max_module_bytes = a->module_room;
    h->runtime.max_instances = a->cfg.max_instances;
    h->runtime.host_functions = (wb_list){a->host_functions, a->cfg.host_function_count};
    h->apps = (wb_list){apps, app_count};
    if (a->cfg.follow_redirects) {
        h->has_features = true;
        h->features = (wb_list){&redirect_feature, 1};
    }
}

void agent_send_hello(wb_agent *a)
{
    wb_app_summary apps[WB_AGENT_MAX_APPS];
    wb_message m;
    fill_hello(a, &m, apps, agent_app_summaries(a, apps));
    a->hello_msg_id = agent_send(a, &m, false);
}

size_t agent_hello_worst_case(wb_agent *a)
{
    static const char longest[] = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
                                  "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    _Static_assert(sizeof longest > WB_AGENT_MESSAGE_MAX, "longest covers every stored text");
    static const uint8_t zeros[32];
    wb_app_summary apps[WB_AGENT_MAX_APPS];
    for (unsigned i = 0; i < WB_AGENT_MAX_APPS; i++) {
        apps[i] = (wb_app_summary){
            .app_id = {(const uint8_t *)longest, WB_MAX_ID_BYTES},
            .has_error = true,
            .error = {{(const uint8_t *)longest, WB_MAX_CODE_BYTES}, {(const uint8_t *)longest, WB_AGENT_MESSAGE_MAX - 1}},
            .state = WB_APP_STARTING,
            .sha256 = {zeros, 32},
            .restarts = UINT32_MAX,
            .revision = UINT32_MAX,
        };
    }
    wb_message m;
    fill_hello(a, &m, apps, WB_AGENT_MAX_APPS);
    m.version = WB_PROTOCOL_VERSION;
    m.msg_id = UINT32_MAX;
    size_t len = 0;
    wb_status s = wb_message_encode_frame(&m, a->cfg.tx_buf, a->cfg.tx_cap, &len, NULL);
    if (s != WB_OK && s != WB_ERR_NO_SPACE) return 0; /* the configuration cannot form a Hello */
    return len;
}

bool agent_send_heartbeat(wb_agent *a, uint64_t now)
{
    wb_app_summary apps[WB_AGENT_MAX_APPS];
    wb_message m;
    memset(&m, 0, sizeof m);
    m.type = WB_MSG_HEARTBEAT;
    m.body.heartbeat.seq = a->heartbeat_seq + 1;
    m.body.heartbeat.uptime_ms = now > WB_MAX_U53 ? WB_MAX_U53 : now;
    m.body.heartbeat.free_memory_bytes = agent_free_memory(a);
    m.body.heartbeat.apps = (wb_list){apps, agent_app_summaries(a, apps)};
    /* Optional: when the queue is full the heartbeat waits for the next tick. */
    if (agent_send(a, &m, true) == 0) return false;
    a->heartbeat_seq++;
    return true;
}

/* Texts composed with snprintf may have cut a sequence; a reason is ≤ 256 bytes. */
typedef struct {
    char text[WB_MAX_REASON_BYTES + 1];
} reason_buf;

static wb_slice reason_of(reason_buf *buf, const char *message)
{
    size_t n = agent_copy_text(buf->text, sizeof buf->text, (const uint8_t *)message, strlen(message));
    return (wb_slice){(const uint8_t *)buf->text, (uint32_t)n};
}

void agent_send_error(wb_agent *a, const char *code, const char *message, bool fatal, uint32_t correlation_id)
{
    reason_buf reason;
    wb_message m;
    memset(&m, 0, sizeof m);
    m.type = WB_MSG_ERROR;
    m.correlation_id = correlation_id;
    m.body.error.code = agent_cstr(code);
    m.body.error.message = reason_of(&reason, message);
    m.body.error.fatal = fatal;
    static const uint32_t versions[] = {WB_PROTOCOL_VERSION};
    if (strcmp(code, "unsupported_version") == 0) { /* §11: say which versions the device speaks */
        m.body.error.has_supported_versions = true;
        m.body.error.supported_versions = (wb_list){versions, 1};
    }
    agent_send(a, &m, false);
}

void agent_send_deploy_result(wb_agent *a, uint32_t deploy_msg_id, wb_slice app_id, uint32_t revision,
                              const uint8_t *sha256, const char *code, const char *message)
{
    reason_buf reason;
    wb_message m;
    memset(&m, 0, sizeof m);
    m.type = WB_MSG_DEPLOY_RESULT;
    m.correlation_id = deploy_msg_id;
    wb_deploy_result *r = &m.body.deploy_result;
    r->app_id = app_id;
    r->revision = revision;
    r->ok = code == NULL;
    if (r->ok) {
        r->has_sha256 = true;
        r->sha256 = (wb_slice){sha256, 32};
    } else {
        r->has_error = true;
        r->error.code = agent_cstr(code);
        r->error.message = reason_of(&reason, message);
    }
    agent_send(a, &m, false);
}

void agent_send_app_status(wb_agent *a, const wb_agent_app *app)
{
    if (!agent_established(a)) return;
    wb_message m;
    memset(&m, 0, sizeof m);
    m.type = WB_MSG_APP_STATUS;
    /* AppStatus is an app summary without the hash. */
    wb_app_summary sum;
    summary_of(app, &sum);
    m.body.app_status = (wb_app_status){.app_id = sum.app_id, .has_error = sum.has_error, .error = sum.error,
                                        .state = sum.state, .restarts = sum.restarts, .revision = sum.revision};
    /* Optional: Heartbeat and the next Hello carry the state anyway. */
    agent_send(a, &m, true);
}
