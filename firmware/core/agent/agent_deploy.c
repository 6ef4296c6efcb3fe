/* Deploy and the module transfer (docs/protocol.md §7.3): the device's checks in
 * the order of the spec, then a pull of the module in chunks into a slot, kept
 * across sessions for resuming, and a SHA-256 over the stored bytes before
 * anything of them can run. A slot becomes "verified" only after that check, so
 * a half or tampered module is never runnable. */
#include <stdio.h>
#include <string.h>

#include "agent/agent_internal.h"
#include "crypto/sha256.h"

static uint8_t *slot_base(const wb_agent *a, int slot)
{
    return a->cfg.slots[slot].base;
}

const uint8_t *agent_slot_module(const wb_agent *a, int slot)
{
    return slot_base(a, slot) + WB_AGENT_SLOT_MANIFEST_BYTES;
}

void agent_slot_free(wb_agent *a, int slot)
{
    if (slot < 0) return;
    memset(&a->slots[slot], 0, sizeof a->slots[slot]);
}

bool agent_slot_manifest(wb_agent *a, int slot, wb_manifest *out)
{
    wb_arena arena;
    wb_arena_init(&arena, a->manifest_arena, sizeof a->manifest_arena);
    return wb_manifest_decode(slot_base(a, slot), a->slots[slot].manifest_len, out, &arena, NULL) == WB_OK;
}

static bool slot_write(wb_agent *a, int slot, uint32_t offset, const uint8_t *data, uint32_t len)
{
    if (a->cfg.hooks.store_write != NULL) {
        return a->cfg.hooks.store_write(a->cfg.hooks.ctx, (uint8_t)slot, offset, data, len);
    }
    memcpy(slot_base(a, slot) + offset, data, len);
    return true;
}

static bool deploy_outstanding(const wb_agent *a)
{
    if (a->transfer.active) return true;
    for (unsigned i = 0; i < WB_AGENT_MAX_APPS; i++) {
        if (a->apps[i].used && a->apps[i].trial && a->apps[i].trial_session == a->session) return true;
    }
    return false;
}

static bool trusted(const wb_agent *a, wb_slice key)
{
    if (a->cfg.trusted_key_count == 0) return true;
    for (unsigned i = 0; i < a->cfg.trusted_key_count; i++) {
        if (memcmp(a->cfg.trusted_keys[i], key.ptr, 32) == 0) return true;
    }
    return false;
}

/* The first host function the manifest needs that the runtime does not offer. */
static const wb_slice *missing_host_function(const wb_agent *a, const wb_manifest *man)
{
    const wb_slice *needed = man->host_functions.items;
    for (uint32_t i = 0; i < man->host_functions.count; i++) {
        bool offered = false;
        for (uint32_t j = 0; j < a->cfg.host_function_count && !offered; j++) {
            offered = wb_slice_compare(needed[i], a->host_functions[j]) == 0;
        }
        if (!offered) return &needed[i];
    }
    return NULL;
}

/* A slot for this module: the one holding its first bytes, a free one, the
 * oldest kept partial, or the module of an app that ended. -1 when every slot
 * holds a module an app needs. */
static int pick_slot(wb_agent *a, const uint8_t *sha256, uint32_t size)
{
    int best = -1;
    for (unsigned i = 0; i < a->cfg.slot_count; i++) {
        const wb_agent_slot *s = &a->slots[i];
        if (s->state == SLOT_PARTIAL && s->size == size && memcmp(s->sha256, sha256, 32) == 0) return (int)i;
    }
    for (unsigned i = 0; i < a->cfg.slot_count; i++) {
        if (a->slots[i].state == SLOT_FREE) return (int)i;
    }
    for (unsigned i = 0; i < a->cfg.slot_count; i++) {
        const wb_agent_slot *s = &a->slots[i];
        if (s->state == SLOT_PARTIAL && (best < 0 || s->stamp < a->slots[best].stamp)) best = (int)i;
    }
    return best >= 0 ? best : agent_reclaim_slot(a);
}

static uint32_t chunk_request_bytes(const wb_agent *a)
{
    uint32_t n = a->cfg.rx_cap - WB_MODULE_CHUNK_OVERHEAD_BYTES;
    return n < WB_MAX_CHUNK_DATA_BYTES ? n : WB_MAX_CHUNK_DATA_BYTES;
}

static wb_slice transfer_app_id(const wb_agent *a)
{
    return (wb_slice){(const uint8_t *)a->transfer.app_id, a->transfer.app_id_len};
}

/* Ends the transfer with DeployResult ok=false. */
static void transfer_failed(wb_agent *a, const char *code, const char *message)
{
    wb_agent_transfer *t = &a->transfer;
    t->active = false;
    agent_send_deploy_result(a, t->deploy_msg_id, transfer_app_id(a), t->revision, NULL, code, message);
}

static void finish_transfer(wb_agent *a, uint64_t now)
{
    wb_agent_transfer *t = &a->transfer;
    wb_agent_slot *s = &a->slots[t->slot];
    t->active = false;
    /* Hash what is stored, not what was received: these are the bytes that will run. */
    uint8_t digest[32];
    wb_sha256(agent_slot_module(a, t->slot), s->size, digest);
    if (memcmp(digest, s->sha256, 32) != 0) {
        agent_slot_free(a, t->slot);
        agent_send_deploy_result(a, t->deploy_msg_id, transfer_app_id(a), t->revision, NULL, "bad_hash",
                                 "the module's SHA-256 differs from the manifest");
        return;
    }
    s->state = SLOT_VERIFIED;
    agent_install(a, (const uint8_t *)t->app_id, t->app_id_len, t->slot, t->deploy_msg_id, now);
}

static void continue_transfer(wb_agent *a, uint64_t now)
{
    wb_agent_transfer *t = &a->transfer;
    const wb_agent_slot *s = &a->slots[t->slot];
    if (s->received == s->size) {
        finish_transfer(a, now);
        return;
    }
    wb_message m;
    memset(&m, 0, sizeof m);
    m.type = WB_MSG_MODULE_REQUEST;
    m.body.module_request.app_id = transfer_app_id(a);
    m.body.module_request.revision = t->revision;
    m.body.module_request.offset = s->received;
    m.body.module_request.max_bytes = chunk_request_bytes(a);
    t->request_max = m.body.module_request.max_bytes;
    t->request_msg_id = agent_send(a, &m, false);
    t->request_deadline = now + (uint64_t)WB_AGENT_HEARTBEAT_MISSES * a->heartbeat_interval;
}

/* Steps 1-5 of §7.3; NULL when the Deploy may proceed, else the error code. */
static const char *check_deploy(wb_agent *a, const wb_deploy *d, wb_manifest *man, char *text, size_t cap)
{
    if (deploy_outstanding(a)) {
        snprintf(text, cap, "another deployment is still in progress");
        return "limit_exceeded";
    }
    if (!trusted(a, d->publisher_key)) {
        snprintf(text, cap, "the publisher key is not trusted by this device");
        return "untrusted_publisher";
    }
    if (wb_manifest_verify(d->manifest.ptr, d->manifest.len, d->signature.ptr, d->publisher_key.ptr) != WB_OK) {
        snprintf(text, cap, "the manifest signature does not verify with the publisher key");
        return "bad_signature";
    }
    wb_arena arena;
    wb_arena_init(&arena, a->manifest_arena, sizeof a->manifest_arena);
    wb_path path;
    if (wb_manifest_decode(d->manifest.ptr, d->manifest.len, man, &arena, &path) != WB_OK) {
        snprintf(text, cap, "the manifest is not valid at %s", path.len > 0 ? path.text : "its encoding");
        return "invalid_manifest";
    }
    if (man->revision != d->revision) {
        snprintf(text, cap, "manifest revision %lu differs from Deploy revision %lu", (unsigned long)man->revision,
                 (unsigned long)d->revision);
        return "invalid_manifest";
    }
    if (man->size_bytes > a->module_room) {
        snprintf(text, cap, "module of %lu bytes exceeds maxModuleBytes %lu", (unsigned long)man->size_bytes,
                 (unsigned long)a->module_room);
        return "module_too_large";
    }
    const wb_slice *missing = missing_host_function(a, man);
    if (missing != NULL) {
        snprintf(text, cap, "the runtime does not offer %.*s", (int)missing->len, (const char *)missing->ptr);
        return "missing_host_function";
    }
    return NULL;
}

void agent_on_deploy(wb_agent *a, const wb_message *m, uint64_t now)
{
    const wb_deploy *d = &m->body.deploy;
    wb_manifest man;
    char text[160];
    const char *code = check_deploy(a, d, &man, text, sizeof text);
    wb_agent_app *app = code == NULL ? agent_app_find(a, d->app_id.ptr, d->app_id.len) : NULL;
    if (app != NULL && app->trial) {
        /* A Deploy sent again after a reconnect while this very install is starting. */
        if (agent_attach_trial(a, app, man.revision, man.sha256.ptr, m->msg_id)) return;
        snprintf(text, sizeof text, "another revision of this app is still starting");
        code = "limit_exceeded";
    } else if (app != NULL && agent_app_active(app) && app->revision == man.revision &&
               memcmp(app->sha256, man.sha256.ptr, 32) == 0) {
        /* Already runs exactly this: nothing to do. */
        agent_send_deploy_result(a, m->msg_id, d->app_id, d->revision, app->sha256, NULL, NULL);
        return;
    }
    if (code == NULL) {
        const char *refusal = agent_admit(a, d->app_id.ptr, d->app_id.len, man.memory_limit_bytes, &code);
        if (refusal != NULL) snprintf(text, sizeof text, "%s", refusal);
    }
    int slot = -1;
    if (code == NULL) {
        slot = pick_slot(a, man.sha256.ptr, man.size_bytes);
        if (slot < 0) {
            snprintf(text, sizeof text, "no free module slot (the device holds %lu)", (unsigned long)a->cfg.slot_count);
            code = "limit_exceeded";
        }
    }
    if (code == NULL && !slot_write(a, slot, 0, d->manifest.ptr, d->manifest.len)) {
        snprintf(text, sizeof text, "writing the manifest to storage failed");
        code = "internal";
    }
    if (code != NULL) {
        agent_send_deploy_result(a, m->msg_id, d->app_id, d->revision, NULL, code, text);
        return;
    }

    wb_agent_slot *s = &a->slots[slot];
    if (s->state != SLOT_PARTIAL) {
        memset(s, 0, sizeof *s);
        s->state = SLOT_PARTIAL;
        memcpy(s->sha256, man.sha256.ptr, 32);
        s->size = man.size_bytes;
    }
    s->manifest_len = d->manifest.len;
    s->revision = man.revision;
    s->memory_limit = man.memory_limit_bytes;
    s->auto_restart = man.has_restart && man.restart.auto_restart;
    s->max_restarts = man.has_restart ? man.restart.max_restarts : 0;
    s->stamp = ++a->stamp;

    wb_agent_transfer *t = &a->transfer;
    memset(t, 0, sizeof *t);
    t->active = true;
    t->deploy_msg_id = m->msg_id;
    t->slot = (uint8_t)slot;
    t->app_id_len = (uint8_t)d->app_id.len;
    memcpy(t->app_id, d->app_id.ptr, d->app_id.len);
    t->revision = d->revision;
    continue_transfer(a, now);
}

static const char *chunk_problem(const wb_agent *a, const wb_module_chunk *c, char *text, size_t cap)
{
    const wb_agent_transfer *t = &a->transfer;
    const wb_agent_slot *s = &a->slots[t->slot];
    if (!agent_slice_eq(c->app_id, t->app_id, t->app_id_len) || c->revision != t->revision) {
        snprintf(text, cap, "the transfer in progress is %.*s revision %lu", (int)t->app_id_len, t->app_id,
                 (unsigned long)t->revision);
    } else if (c->total_bytes != s->size) {
        snprintf(text, cap, "totalBytes %lu differs from the manifest's sizeBytes %lu", (unsigned long)c->total_bytes,
                 (unsigned long)s->size);
    } else if (c->offset != s->received) {
        snprintf(text, cap, "offset %lu, requested %lu", (unsigned long)c->offset, (unsigned long)s->received);
    } else if (c->data.len > t->request_max || c->data.len > s->size - s->received) {
        snprintf(text, cap, "%lu bytes at %lu: more than requested or past the module's end", (unsigned long)c->data.len,
                 (unsigned long)c->offset);
    } else {
        return NULL;
    }
    return text;
}

void agent_on_chunk(wb_agent *a, const wb_message *m, uint64_t now)
{
    wb_agent_transfer *t = &a->transfer;
    const wb_module_chunk *c = &m->body.module_chunk;
    char text[160];
    if (!t->active || t->request_msg_id == 0 || m->correlation_id != t->request_msg_id) {
        /* It may have crossed a Stop or a timeout on the wire: not fatal. */
        agent_send_error(a, "unexpected_message", "ModuleChunk: no ModuleRequest of this device awaits it", false,
                         m->msg_id);
        return;
    }
    const char *problem = chunk_problem(a, c, text, sizeof text);
    if (problem != NULL) {
        char error[200];
        snprintf(error, sizeof error, "ModuleChunk: %s", problem);
        agent_send_error(a, "unexpected_message", error, false, m->msg_id);
        /* Bytes from a confused transfer are not worth resuming. */
        agent_slot_free(a, t->slot);
        snprintf(error, sizeof error, "bad ModuleChunk: %s", problem);
        transfer_failed(a, "transfer_failed", error);
        return;
    }
    wb_agent_slot *s = &a->slots[t->slot];
    if (!slot_write(a, t->slot, WB_AGENT_SLOT_MANIFEST_BYTES + c->offset, c->data.ptr, c->data.len)) {
        agent_slot_free(a, t->slot);
        transfer_failed(a, "internal", "writing the module to storage failed");
        return;
    }
    s->received += c->data.len;
    s->stamp = ++a->stamp;
    t->request_msg_id = 0;
    continue_transfer(a, now);
}

void agent_on_request_error(wb_agent *a, const wb_error_msg *e)
{
    char text[WB_MAX_REASON_BYTES];
    char code[WB_MAX_CODE_BYTES + 1];
    char message[WB_AGENT_MESSAGE_MAX];
    agent_copy_text(code, sizeof code, e->code.ptr, e->code.len);
    agent_copy_text(message, sizeof message, e->message.ptr, e->message.len);
    snprintf(text, sizeof text, "gateway answered ModuleRequest with %s: %s", code, message);
    /* What arrived so far stays for a later attempt. */
    transfer_failed(a, "transfer_failed", text);
}

void agent_transfer_tick(wb_agent *a, uint64_t now)
{
    const wb_agent_transfer *t = &a->transfer;
    if (t->active && t->request_msg_id != 0 && now >= t->request_deadline) {
        transfer_failed(a, "transfer_failed", "no ModuleChunk within 3 heartbeat intervals");
    }
}

void agent_cancel_transfer(wb_agent *a, const char *app_id, size_t len)
{
    wb_agent_transfer *t = &a->transfer;
    /* Stop cancels it silently (StopResult only); received bytes stay resumable. */
    if (t->active && t->app_id_len == len && memcmp(t->app_id, app_id, len) == 0) t->active = false;
}
