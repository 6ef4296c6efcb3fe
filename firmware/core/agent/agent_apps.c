/* The apps a device holds and their runs: admission against the device's
 * limits, install on trial (the previous module is kept until the new one has
 * reached its entry point, and restored if it fails before), runtime events,
 * the manifest's restart policy, Stop, and AppLog with its rate limit. Mirrors
 * emulation/sim-device's AppHost and AppSupervisor. */
#include <stdio.h>
#include <string.h>

#include "agent/agent_internal.h"

wb_agent_app *agent_app_find(wb_agent *a, const uint8_t *app_id, size_t len)
{
    for (unsigned i = 0; i < WB_AGENT_MAX_APPS; i++) {
        wb_agent_app *app = &a->apps[i];
        if (app->used && app->app_id_len == len && memcmp(app->app_id, app_id, len) == 0) return app;
    }
    return NULL;
}

static wb_agent_app *app_by_run(wb_agent *a, uint32_t run_id)
{
    if (run_id == 0) return NULL;
    for (unsigned i = 0; i < WB_AGENT_MAX_APPS; i++) {
        if (a->apps[i].used && a->apps[i].run_id == run_id) return &a->apps[i];
    }
    return NULL;
}

bool agent_app_active(const wb_agent_app *app)
{
    return app->state == WB_APP_STARTING || app->state == WB_APP_RUNNING;
}

static bool same_app(const wb_agent_app *app, const uint8_t *app_id, size_t len)
{
    return app->app_id_len == len && memcmp(app->app_id, app_id, len) == 0;
}

/* A record for a new app: a free one, else the oldest that is neither active
 * nor installing (Hello reports at most the table). NULL when all are busy. */
static wb_agent_app *free_record(wb_agent *a)
{
    wb_agent_app *best = NULL;
    for (unsigned i = 0; i < WB_AGENT_MAX_APPS; i++) {
        wb_agent_app *app = &a->apps[i];
        if (!app->used) return app;
        if (!agent_app_active(app) && !app->trial && (best == NULL || app->stamp < best->stamp)) best = app;
    }
    return best;
}

static uint64_t reserved_memory(const wb_agent *a, const uint8_t *except_id, size_t except_len)
{
    uint64_t sum = 0;
    for (unsigned i = 0; i < WB_AGENT_MAX_APPS; i++) {
        const wb_agent_app *app = &a->apps[i];
        if (!app->used || !agent_app_active(app) || app->slot < 0) continue;
        if (except_id != NULL && same_app(app, except_id, except_len)) continue;
        sum += a->slots[app->slot].memory_limit;
    }
    return sum;
}

uint64_t agent_free_memory(const wb_agent *a)
{
    uint64_t reserved = reserved_memory(a, NULL, 0);
    return reserved >= a->cfg.app_ram_bytes ? 0 : a->cfg.app_ram_bytes - reserved;
}

const char *agent_admit(wb_agent *a, const uint8_t *app_id, size_t len, uint32_t memory_limit, const char **code)
{
    unsigned others = 0;
    for (unsigned i = 0; i < WB_AGENT_MAX_APPS; i++) {
        const wb_agent_app *app = &a->apps[i];
        if (app->used && agent_app_active(app) && !same_app(app, app_id, len)) others++;
    }
    *code = "limit_exceeded";
    if (others >= a->cfg.max_instances) return "the device runs its maximum number of apps";
    uint64_t reserved = reserved_memory(a, app_id, len);
    if (reserved + memory_limit > a->cfg.app_ram_bytes) return "the memory limit exceeds the device's free app memory";
    if (agent_app_find(a, app_id, len) == NULL && free_record(a) == NULL) return "no room for another app";
    *code = NULL;
    return NULL;
}

static void set_error(wb_agent_app *app, const char *code, const char *message)
{
    app->has_error = code != NULL;
    if (code == NULL) return;
    bool valid = wb_text_matches(WB_PATTERN_CODE, (const uint8_t *)code, strlen(code)) && strlen(code) <= WB_MAX_CODE_BYTES;
    agent_copy_text(app->error_code, sizeof app->error_code, (const uint8_t *)(valid ? code : "internal"),
                    valid ? strlen(code) : 8);
    agent_copy_text(app->error_message, sizeof app->error_message, (const uint8_t *)message,
                    message != NULL ? strlen(message) : 0);
}

static void set_state(wb_agent *a, wb_agent_app *app, uint8_t state, const char *code, const char *message)
{
    app->state = state;
    set_error(app, code, message);
    agent_send_app_status(a, app);
}

static void send_trial_result(wb_agent *a, const wb_agent_app *app, const char *code, const char *message)
{
    /* The Deploy belongs to its session: a result for an older one has nobody to go to. */
    if (app->trial_session != a->session || !agent_established(a)) return;
    wb_slice id = {(const uint8_t *)app->app_id, app->app_id_len};
    agent_send_deploy_result(a, app->trial_deploy_msg_id, id, app->revision, app->sha256, code, message);
}

static void start_run(wb_agent *a, wb_agent_app *app, uint64_t now);

/* The new module failed before its entry point: report it, then go back to the
 * module the app had before, as it was. */
static void install_failed(wb_agent *a, wb_agent_app *app, const char *code, const char *message, uint64_t now)
{
    set_state(a, app, WB_APP_FAILED, code, message);
    send_trial_result(a, app, code, app->error_message);
    agent_slot_free(a, app->slot);
    app->slot = app->prev_slot;
    app->prev_slot = -1;
    app->trial = false;
    if (app->slot < 0) return; /* nothing to go back to: stays failed */
    const wb_agent_slot *s = &a->slots[app->slot];
    app->revision = s->revision;
    memcpy(app->sha256, s->sha256, 32);
    app->restarts = app->prev_restarts;
    if (app->prev_active) start_run(a, app, now);
    else set_state(a, app, app->prev_state, NULL, NULL);
}

static void start_failed(wb_agent *a, wb_agent_app *app, const char *code, const char *message, uint64_t now)
{
    app->run_id = 0;
    if (app->trial) install_failed(a, app, code, message, now);
    else set_state(a, app, WB_APP_FAILED, code, message); /* the same module would fail the same way: no restart */
}

static void start_run(wb_agent *a, wb_agent_app *app, uint64_t now)
{
    wb_manifest man;
    if (app->slot < 0 || !agent_slot_manifest(a, app->slot, &man)) {
        start_failed(a, app, "internal", "the stored manifest cannot be read", now);
        return;
    }
    if (a->next_run_id == 0) a->next_run_id = 1;
    app->run_id = a->next_run_id++;
    app->ran = false;
    app->restart_at = 0;
    app->stamp = ++a->stamp;
    set_state(a, app, WB_APP_STARTING, NULL, NULL);
    const wb_agent_slot *s = &a->slots[app->slot];
    wb_agent_run run = {
        .run_id = app->run_id,
        .app_id = {(const uint8_t *)app->app_id, app->app_id_len},
        .revision = app->revision,
        .restarts = app->restarts,
        .module = agent_slot_module(a, app->slot),
        .module_len = s->size,
        .sha256 = s->sha256,
        .manifest = a->cfg.slots[app->slot].base,
        .manifest_len = s->manifest_len,
        .decoded = &man,
    };
    wb_agent_error error;
    memset(&error, 0, sizeof error);
    if (!a->cfg.hooks.start(a->cfg.hooks.ctx, &run, &error)) {
        error.code[sizeof error.code - 1] = '\0';
        error.message[sizeof error.message - 1] = '\0';
        start_failed(a, app, error.code[0] != '\0' ? error.code : "instantiate_failed", error.message, now);
    }
}

static void end_run(wb_agent *a, wb_agent_app *app)
{
    if (app->run_id != 0) a->cfg.hooks.stop(a->cfg.hooks.ctx, app->run_id);
    app->run_id = 0;
    app->restart_at = 0;
}

void agent_install(wb_agent *a, const uint8_t *app_id, size_t len, int slot, uint32_t deploy_msg_id, uint64_t now)
{
    const wb_agent_slot *s = &a->slots[slot];
    const char *code = NULL;
    /* Admitted at Deploy; the other apps may have changed during the transfer. */
    const char *refusal = agent_admit(a, app_id, len, s->memory_limit, &code);
    wb_agent_app *app = refusal == NULL ? agent_app_find(a, app_id, len) : NULL;
    if (refusal == NULL && app == NULL) {
        app = free_record(a);
        if (app->used) {
            end_run(a, app);
            agent_slot_free(a, app->slot);
        }
        memset(app, 0, sizeof *app);
        app->used = true;
        app->app_id_len = (uint8_t)len;
        memcpy(app->app_id, app_id, len);
        app->slot = -1;
        app->prev_slot = -1;
        app->state = WB_APP_STOPPED;
    }
    if (refusal != NULL) {
        agent_slot_free(a, slot);
        agent_send_deploy_result(a, deploy_msg_id, (wb_slice){app_id, (uint32_t)len}, s->revision, NULL, code, refusal);
        return;
    }
    app->prev_active = agent_app_active(app);
    app->prev_state = app->state;
    app->prev_restarts = app->restarts;
    end_run(a, app);
    app->prev_slot = app->slot;
    app->slot = (int8_t)slot;
    app->revision = s->revision;
    memcpy(app->sha256, s->sha256, 32);
    app->restarts = 0;
    app->restart_attempt = 0;
    app->trial = true;
    app->trial_deploy_msg_id = deploy_msg_id;
    app->trial_session = a->session;
    start_run(a, app, now);
}

bool agent_attach_trial(wb_agent *a, wb_agent_app *app, uint32_t revision, const uint8_t *sha256, uint32_t deploy_msg_id)
{
    if (!app->trial || app->revision != revision || memcmp(app->sha256, sha256, 32) != 0) return false;
    app->trial_deploy_msg_id = deploy_msg_id;
    app->trial_session = a->session;
    return true;
}

static void on_running(wb_agent *a, wb_agent_app *app, uint64_t now)
{
    app->ran = true;
    app->run_started_at = now;
    set_state(a, app, WB_APP_RUNNING, NULL, NULL);
    if (!app->trial) return;
    /* The new module runs: the old one can go. */
    if (app->prev_slot != app->slot) agent_slot_free(a, app->prev_slot);
    app->prev_slot = -1;
    app->trial = false;
    send_trial_result(a, app, NULL, NULL);
}

unsigned wb_agent_app_running(wb_agent *a, uint32_t run_id, uint64_t now)
{
    wb_agent_app *app = app_by_run(a, run_id);
    if (app != NULL && !app->ran) on_running(a, app, now);
    return agent_actions(a);
}

/* The protocol's codes are coarser than the runtime's reasons, so the message
 * starts with the precise reason (as emulation/sim-device's errorInfoOf). */
static const struct {
    const char *reason;
    const char *code;
} exit_codes[] = {
    [WB_AGENT_EXIT_RETURNED] = {"exited", NULL},
    [WB_AGENT_EXIT_STOP_REQUESTED] = {"stop_requested", NULL},
    [WB_AGENT_EXIT_TRAP] = {"trap", "trap"},
    [WB_AGENT_EXIT_CPU_TIME_LIMIT] = {"cpu_time_limit", "limit_exceeded"},
    [WB_AGENT_EXIT_MEMORY_LIMIT] = {"memory_limit", "limit_exceeded"},
    [WB_AGENT_EXIT_INVALID_MODULE] = {"invalid_module", "instantiate_failed"},
    [WB_AGENT_EXIT_MISSING_HOST_FUNCTION] = {"missing_host_function", "missing_host_function"},
    [WB_AGENT_EXIT_NO_MEMORY] = {"no_memory", "limit_exceeded"},
    [WB_AGENT_EXIT_INTERNAL] = {"internal", "internal"},
};

static void schedule_restart(wb_agent *a, wb_agent_app *app, uint64_t now)
{
    const wb_agent_slot *s = &a->slots[app->slot];
    if (!s->auto_restart || app->restarts >= s->max_restarts) return;
    /* A run that lasted a minute was healthy: start the delays over. */
    if (now - app->run_started_at >= WB_AGENT_BACKOFF_RESET_MS) app->restart_attempt = 0;
    uint32_t delay = WB_AGENT_RESTART_INITIAL_MS;
    for (uint32_t i = 0; i < app->restart_attempt && delay < WB_AGENT_RESTART_MAX_MS; i++) delay *= 2;
    if (delay > WB_AGENT_RESTART_MAX_MS) delay = WB_AGENT_RESTART_MAX_MS;
    app->restart_attempt++;
    app->restart_at = now + agent_jitter(a, delay, false);
    if (app->restart_at == 0) app->restart_at = 1;
}

unsigned wb_agent_app_ended(wb_agent *a, uint32_t run_id, wb_agent_exit exit, const char *message, uint64_t now)
{
    wb_agent_app *app = app_by_run(a, run_id);
    if (app == NULL || (unsigned)exit >= sizeof exit_codes / sizeof exit_codes[0]) return agent_actions(a);
    char text[WB_AGENT_MESSAGE_MAX];
    snprintf(text, sizeof text, "%s: %s", exit_codes[exit].reason, message != NULL ? message : "");
    if (!app->ran) {
        if (exit == WB_AGENT_EXIT_RETURNED) {
            on_running(a, app, now); /* it ran and finished before anyone heard of it */
        } else {
            const char *code = exit_codes[exit].code != NULL ? exit_codes[exit].code : "internal";
            if (exit == WB_AGENT_EXIT_STOP_REQUESTED) snprintf(text, sizeof text, "stopped before its entry point was called");
            start_failed(a, app, code, text, now);
            return agent_actions(a);
        }
    }
    app->run_id = 0;
    if (exit_codes[exit].code == NULL) set_state(a, app, WB_APP_STOPPED, NULL, NULL);
    else set_state(a, app, WB_APP_FAILED, exit_codes[exit].code, text);
    /* A stop never restarts. */
    if (exit != WB_AGENT_EXIT_STOP_REQUESTED && app->slot >= 0) schedule_restart(a, app, now);
    return agent_actions(a);
}

bool agent_stop_app(wb_agent *a, const uint8_t *app_id, size_t len)
{
    wb_agent_app *app = agent_app_find(a, app_id, len);
    if (app == NULL) return false;
    end_run(a, app);
    /* Stop removes the app's modules (§8.4); an install on trial is cancelled without a DeployResult. */
    agent_slot_free(a, app->slot);
    if (app->prev_slot != app->slot) agent_slot_free(a, app->prev_slot);
    app->slot = -1;
    app->prev_slot = -1;
    app->trial = false;
    app->state = WB_APP_STOPPED;
    app->has_error = false;
    return true;
}

void agent_stop_all(wb_agent *a)
{
    for (unsigned i = 0; i < WB_AGENT_MAX_APPS; i++) {
        wb_agent_app *app = &a->apps[i];
        if (app->used) agent_stop_app(a, (const uint8_t *)app->app_id, app->app_id_len);
    }
}

int agent_reclaim_slot(wb_agent *a)
{
    wb_agent_app *best = NULL;
    for (unsigned i = 0; i < WB_AGENT_MAX_APPS; i++) {
        wb_agent_app *app = &a->apps[i];
        if (!app->used || app->slot < 0 || agent_app_active(app) || app->trial || app->restart_at != 0) continue;
        if (best == NULL || app->stamp < best->stamp) best = app;
    }
    if (best == NULL) return -1;
    int slot = best->slot;
    agent_slot_free(a, slot);
    best->slot = -1; /* still listed, as Hello and Heartbeat report it, but gone for good */
    return slot;
}

void agent_apps_tick(wb_agent *a, uint64_t now)
{
    for (unsigned i = 0; i < WB_AGENT_MAX_APPS; i++) {
        wb_agent_app *app = &a->apps[i];
        if (!app->used || app->restart_at == 0 || now < app->restart_at) continue;
        app->restart_at = 0;
        app->restarts++;
        start_run(a, app, now);
    }
}

uint64_t agent_apps_next_wakeup(const wb_agent *a)
{
    uint64_t t = UINT64_MAX;
    for (unsigned i = 0; i < WB_AGENT_MAX_APPS; i++) {
        const wb_agent_app *app = &a->apps[i];
        if (app->used && app->restart_at != 0 && app->restart_at < t) t = app->restart_at;
    }
    return t;
}

/* Refills the AppLog token bucket; true when a line may go out. */
static bool take_log_token(wb_agent *a, uint64_t now)
{
    uint64_t elapsed = now - a->log_refill_at;
    a->log_refill_at = now;
    /* WB_AGENT_LOG_PER_SECOND lines per 1000 ms = that many thousandths of a line per ms. */
    uint64_t tokens = a->log_tokens_milli + elapsed * WB_AGENT_LOG_PER_SECOND;
    if (tokens > WB_AGENT_LOG_BURST * 1000u) tokens = WB_AGENT_LOG_BURST * 1000u;
    a->log_tokens_milli = (uint32_t)tokens;
    if (a->log_tokens_milli < 1000u) return false;
    a->log_tokens_milli -= 1000u;
    return true;
}

static bool send_log(wb_agent *a, const wb_agent_app *app, unsigned level, wb_slice text, uint64_t now)
{
    /* Logs never eat into the room kept for answers. */
    if (agent_tx_free(a) < WB_AGENT_TX_BURST_BYTES + WB_MAX_LOG_MESSAGE_BYTES + 128u) return false;
    wb_message m;
    memset(&m, 0, sizeof m);
    m.type = WB_MSG_APP_LOG;
    m.body.app_log.app_id = (wb_slice){(const uint8_t *)app->app_id, app->app_id_len};
    m.body.app_log.level = (uint8_t)level;
    m.body.app_log.message = text;
    m.body.app_log.time_ms = wb_agent_device_time(a, now);
    return agent_send(a, &m, true) != 0;
}

unsigned wb_agent_app_log(wb_agent *a, uint32_t run_id, unsigned level, const uint8_t *text, size_t len, uint64_t now)
{
    const wb_agent_app *app = app_by_run(a, run_id);
    if (app == NULL || level > WB_LOG_ERROR || !agent_established(a)) return agent_actions(a);
    if (!take_log_token(a, now)) {
        a->logs_dropped++;
        return agent_actions(a);
    }
    if (a->logs_dropped > 0 && take_log_token(a, now)) {
        char note[80];
        snprintf(note, sizeof note, "%lu log line(s) dropped by the device's rate limit", (unsigned long)a->logs_dropped);
        if (send_log(a, app, WB_LOG_WARN, agent_cstr(note), now)) a->logs_dropped = 0;
    }
    char copy[WB_MAX_LOG_MESSAGE_BYTES + 1];
    size_t n = agent_copy_text(copy, sizeof copy, text, len);
    if (!send_log(a, app, level, (wb_slice){(const uint8_t *)copy, (uint32_t)n}, now)) a->logs_dropped++;
    return agent_actions(a);
}
