/* TEST PEER: the scripted gateway side of the agent's host tests (see
 * agent_test_peer.h). Not a gateway implementation. */
#include <stdlib.h>
#include <string.h>

#include "agent_test_peer.h"
#include "check.h"
#include "crypto/sha256.h"
#include "proto/limits.h"

bool slice_is(wb_slice s, const char *text)
{
    size_t n = strlen(text);
    return s.len == n && (n == 0 || memcmp(s.ptr, text, n) == 0);
}

/* ---- the runtime's side ---- */

static bool fake_start(void *ctx, const wb_agent_run *run, wb_agent_error *error)
{
    test_peer *p = ctx;
    uint8_t digest[32];
    wb_sha256(run->module, run->module_len, digest);
    /* The one promise that matters: only verified bytes are ever handed over to run. */
    CHECK(memcmp(digest, run->sha256, 32) == 0, "start: module bytes do not hash to run->sha256");
    CHECK(run->decoded != NULL && run->decoded->sha256.len == 32 && memcmp(run->decoded->sha256.ptr, digest, 32) == 0 &&
              run->decoded->size_bytes == run->module_len,
          "start: module differs from its manifest");
    CHECK(run->decoded != NULL && run->decoded->revision == run->revision, "start: revision differs from the manifest");
    for (unsigned i = 0; i < p->run_count; i++) {
        const peer_run *r = &p->runs[i];
        CHECK(r->stopped || r->ended || !slice_is(run->app_id, r->app_id), "start: %s runs twice", r->app_id);
    }
    if (p->run_count < PEER_MAX_RUNS) {
        peer_run *r = &p->runs[p->run_count++];
        memset(r, 0, sizeof *r);
        r->run_id = run->run_id;
        memcpy(r->app_id, run->app_id.ptr, run->app_id.len);
        r->revision = run->revision;
        r->restarts = run->restarts;
        memcpy(r->sha256, digest, 32);
        r->module_len = run->module_len;
        if (p->refuse_next_start) r->ended = true;
    }
    if (p->refuse_next_start) {
        p->refuse_next_start = false;
        strcpy(error->code, "instantiate_failed");
        strcpy(error->message, "invalid_module: refused by the test runtime");
        return false;
    }
    return true;
}

static void fake_stop(void *ctx, uint32_t run_id)
{
    test_peer *p = ctx;
    for (unsigned i = 0; i < p->run_count; i++) {
        peer_run *r = &p->runs[i];
        if (r->run_id != run_id) continue;
        CHECK(!r->stopped && !r->ended, "stop of run %u that already ended", (unsigned)run_id);
        r->stopped = true;
        return;
    }
    CHECK(false, "stop of unknown run %u", (unsigned)run_id);
}

uint32_t peer_xorshift(uint32_t *state)
{
    uint32_t x = *state;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return *state = x;
}

static uint32_t fake_random(void *ctx)
{
    test_peer *p = ctx;
    return p->rng_fixed ? p->rng_value : peer_xorshift(&p->rng);
}

static bool fake_flash_write(void *ctx, uint8_t slot, uint32_t offset, const uint8_t *data, uint32_t len)
{
    test_peer *p = ctx;
    CHECK(slot < p->cfg.slot_count && offset <= PEER_SLOT_BYTES && len <= PEER_SLOT_BYTES - offset, "store_write out of the slot");
    if (slot >= p->cfg.slot_count || offset > PEER_SLOT_BYTES || len > PEER_SLOT_BYTES - offset) return false;
    memcpy(p->slots + (size_t)slot * PEER_SLOT_BYTES + offset, data, len);
    p->store_writes++;
    return true;
}

static const char *const host_functions[] = {
    "wasmbed.config_get", "wasmbed.log", "wasmbed.now_ms", "wasmbed.random_u32", "wasmbed.sensor_read", "wasmbed.sleep_ms",
};

test_peer *peer_new(const peer_options *options)
{
    peer_options o = {0};
    if (options != NULL) o = *options;
    test_peer *p = calloc(1, sizeof *p);
    if (p == NULL) abort();
    uint32_t slot_count = o.slot_count ? o.slot_count : 3;
    uint32_t tx_cap = o.tx_cap ? o.tx_cap : 8192;
    p->tx = calloc(1, tx_cap);
    p->slots = calloc(slot_count, PEER_SLOT_BYTES);
    if (p->tx == NULL || p->slots == NULL) abort();
    p->rng = 0x2545f491u;
    p->split_rng = 0x9e3779b9u;
    wb_agent_config *c = &p->cfg;
    c->firmware = "wasmbed-fw/0.1.0-test";
    c->board = "host";
    c->arch = "x86_64";
    c->runtime_name = "wamr";
    c->runtime_version = "test";
    c->ram_bytes = 256 * 1024;
    c->app_ram_bytes = o.app_ram_bytes ? o.app_ram_bytes : 1024 * 1024;
    c->max_instances = o.max_instances ? o.max_instances : 4;
    c->host_functions = host_functions;
    c->host_function_count = sizeof host_functions / sizeof host_functions[0];
    c->trusted_keys = o.trusted_keys;
    c->trusted_key_count = o.trusted_key_count;
    c->follow_redirects = o.follow_redirects;
    c->endpoint = "gw-a.example.net:4423";
    c->rx_buf = p->rx;
    c->rx_cap = sizeof p->rx;
    c->tx_buf = p->tx;
    c->tx_cap = tx_cap;
    c->slot_count = slot_count;
    for (unsigned i = 0; i < slot_count; i++) c->slots[i] = (wb_agent_slot_region){p->slots + (size_t)i * PEER_SLOT_BYTES, PEER_SLOT_BYTES};
    c->hooks = (wb_agent_hooks){p, fake_start, fake_stop, fake_random, o.flash_slots ? fake_flash_write : NULL};
    wb_status s = wb_agent_init(&p->agent, c);
    CHECK(s == WB_OK, "wb_agent_init: %s", wb_agent_problem(&p->agent));
    wb_frame_rx_init(&p->dev_rx, p->dev_frame, sizeof p->dev_frame);
    return p;
}

void peer_discard(test_peer *p)
{
    while (p->inbox_count > 0) {
        free(p->inbox[p->inbox_head].bytes);
        p->inbox_head = (p->inbox_head + 1) % PEER_INBOX;
        p->inbox_count--;
    }
    free(p->current);
    p->current = NULL;
}

void peer_reboot(test_peer *p)
{
    peer_discard(p);
    memset(p->runs, 0, sizeof p->runs);
    p->run_count = 0;
    p->refuse_next_start = false;
    p->actions = 0;
    p->gw_msg_id = 0;
    p->dev_msg_id = 0;
    wb_frame_rx_init(&p->dev_rx, p->dev_frame, sizeof p->dev_frame);
    wb_status s = wb_agent_init(&p->agent, &p->cfg);
    CHECK(s == WB_OK, "wb_agent_init: %s", wb_agent_problem(&p->agent));
}

void peer_free(test_peer *p)
{
    peer_discard(p);
    free(p->tx);
    free(p->slots);
    free(p);
}

/* ---- the gateway's side ---- */

static void device_frame(test_peer *p, const uint8_t *payload, uint32_t len)
{
    wb_message m;
    wb_decode_info info;
    wb_arena arena;
    wb_arena_init(&arena, p->arena, sizeof p->arena);
    wb_status s = wb_message_decode_from(WB_SENDER_DEVICE, payload, len, &m, &arena, &info);
    bool ok = s == WB_OK && m.msg_id == p->dev_msg_id + 1;
    if (!ok) p->bad_device_frames++;
    if (!p->quiet) {
        CHECK(s == WB_OK, "device sent an invalid message: %s at %s", wb_status_code(s), info.path.text);
        CHECK(s != WB_OK || m.msg_id == p->dev_msg_id + 1, "device msgId %u after %u", (unsigned)m.msg_id,
              (unsigned)p->dev_msg_id);
    }
    if (s == WB_OK) p->dev_msg_id = m.msg_id;
    if (p->inbox_count == PEER_INBOX) {
        CHECK(p->quiet, "test peer inbox full");
        free(p->inbox[p->inbox_head].bytes);
        p->inbox_head = (p->inbox_head + 1) % PEER_INBOX;
        p->inbox_count--;
    }
    uint8_t *copy = malloc(len);
    if (copy == NULL) abort();
    memcpy(copy, payload, len);
    unsigned tail = (p->inbox_head + p->inbox_count) % PEER_INBOX;
    p->inbox[tail].bytes = copy;
    p->inbox[tail].len = len;
    p->inbox_count++;
}

/* The boards send the queue in place (peek, then consume) and decode it as
 * whole frames (tls/agent_tap.c): it must only ever hold whole frames. */
static void check_queue_whole_frames(test_peer *p)
{
    size_t queued;
    const uint8_t *q = wb_agent_output_peek(&p->agent, &queued);
    size_t at = 0;
    while (queued - at >= 4) at += 4u + ((uint32_t)q[at] << 24 | (uint32_t)q[at + 1] << 16 | (uint32_t)q[at + 2] << 8 | q[at + 3]);
    CHECK(at == queued && queued == wb_agent_output_pending(&p->agent), "the output queue holds whole frames (%zu of %zu)",
          at, queued);
}

/* One MTU of output, alternately through take_output and through peek + consume. */
static size_t take_some(test_peer *p, uint8_t *buf, size_t cap)
{
    if ((p->pumps++ & 1u) == 0) return wb_agent_take_output(&p->agent, buf, cap);
    size_t queued;
    const uint8_t *q = wb_agent_output_peek(&p->agent, &queued);
    size_t n = queued < cap ? queued : cap;
    memcpy(buf, q, n);
    wb_agent_output_consume(&p->agent, n);
    return n;
}

void peer_pump(test_peer *p)
{
    uint8_t buf[1500]; /* an MTU at a time, as a TLS record layer might */
    size_t n;
    check_queue_whole_frames(p);
    while ((n = take_some(p, buf, sizeof buf)) > 0) {
        size_t off = 0;
        while (off < n) {
            size_t used = 0;
            const uint8_t *frame = NULL;
            uint32_t frame_len = 0;
            wb_status s = wb_frame_rx_push(&p->dev_rx, buf + off, n - off, &used, &frame, &frame_len);
            if (s != WB_OK) {
                CHECK(p->quiet, "device output is not framed: %s", wb_status_code(s));
                p->bad_device_frames++;
                wb_frame_rx_init(&p->dev_rx, p->dev_frame, sizeof p->dev_frame);
                break;
            }
            off += used;
            if (frame != NULL) device_frame(p, frame, frame_len);
        }
    }
}

bool peer_next(test_peer *p, wb_message *m)
{
    peer_pump(p);
    free(p->current);
    p->current = NULL;
    if (p->inbox_count == 0) return false;
    p->current = p->inbox[p->inbox_head].bytes;
    uint32_t len = p->inbox[p->inbox_head].len;
    p->inbox_head = (p->inbox_head + 1) % PEER_INBOX;
    p->inbox_count--;
    wb_decode_info info;
    wb_arena arena;
    wb_arena_init(&arena, p->arena, sizeof p->arena);
    return wb_message_decode(p->current, len, m, &arena, &info) == WB_OK;
}

bool peer_peek(test_peer *p, wb_message *m)
{
    peer_pump(p);
    if (p->inbox_count == 0) return false;
    wb_decode_info info;
    wb_arena arena;
    wb_arena_init(&arena, p->arena, sizeof p->arena);
    return wb_message_decode(p->inbox[p->inbox_head].bytes, p->inbox[p->inbox_head].len, m, &arena, &info) == WB_OK;
}

static const char *type_name(uint32_t type)
{
    const wb_msg_kind *k = wb_msg_kind_of(type);
    return k != NULL ? k->name : "?";
}

bool peer_expect(test_peer *p, uint32_t type, wb_message *m)
{
    wb_message scratch;
    if (m == NULL) m = &scratch;
    if (!peer_next(p, m)) {
        CHECK(false, "expected %s, the device sent nothing", type_name(type));
        return false;
    }
    if (m->type == WB_MSG_ERROR && type != WB_MSG_ERROR) {
        CHECK(false, "expected %s, got Error %.*s: %.*s", type_name(type), (int)m->body.error.code.len,
              (const char *)m->body.error.code.ptr, (int)m->body.error.message.len, (const char *)m->body.error.message.ptr);
        return false;
    }
    CHECK(m->type == type, "expected %s, got %s", type_name(type), type_name(m->type));
    return m->type == type;
}

bool peer_quiet(test_peer *p)
{
    peer_pump(p);
    return p->inbox_count == 0;
}

void peer_feed(test_peer *p, const uint8_t *bytes, size_t len)
{
    if (p->record != NULL && p->record_len + len <= p->record_cap) {
        memcpy(p->record + p->record_len, bytes, len);
        p->record_len += len;
    }
    size_t off = 0;
    unsigned stalls = 0;
    while (off < len) {
        size_t piece = len - off;
        if (p->split > 0) {
            size_t n = 1 + peer_xorshift(&p->split_rng) % p->split;
            if (n < piece) piece = n;
        }
        size_t used = 0;
        p->actions |= wb_agent_on_bytes(&p->agent, bytes + off, piece, &used, p->now);
        CHECK(used <= piece, "on_bytes used more than it was given");
        off += used;
        /* Back-pressure: the agent took less because its output waits; drain it and go on. */
        peer_pump(p);
        if (used == 0 && ++stalls > 2) {
            CHECK(false, "the agent takes no bytes with an empty output queue");
            return;
        }
        if (used > 0) stalls = 0;
    }
}

void peer_send(test_peer *p, wb_message *m)
{
    static uint8_t frame[WB_FRAME_PREFIX_BYTES + WB_MIN_DEVICE_FRAME_BYTES + 64];
    m->version = WB_PROTOCOL_VERSION;
    m->msg_id = ++p->gw_msg_id;
    size_t len = 0;
    wb_path path;
    wb_status s = wb_message_encode_frame(m, frame, sizeof frame, &len, &path);
    CHECK(s == WB_OK, "test peer cannot encode %s: %s at %s", type_name(m->type), wb_status_code(s), path.text);
    if (s == WB_OK) peer_feed(p, frame, len);
}

void peer_connect(test_peer *p)
{
    peer_discard(p);
    p->gw_msg_id = 0;
    p->dev_msg_id = 0;
    p->actions = 0;
    wb_frame_rx_init(&p->dev_rx, p->dev_frame, sizeof p->dev_frame);
    p->actions |= wb_agent_on_connected(&p->agent, p->now);
    peer_pump(p);
}

void peer_welcome(test_peer *p, uint32_t hello_msg_id, uint32_t heartbeat_interval_ms)
{
    wb_message m;
    memset(&m, 0, sizeof m);
    m.type = WB_MSG_WELCOME;
    m.correlation_id = hello_msg_id;
    m.body.welcome.device_id = WB_SLICE_LIT("dev-1");
    m.body.welcome.gateway_id = WB_SLICE_LIT("gw-a");
    m.body.welcome.heartbeat_interval_ms = heartbeat_interval_ms;
    m.body.welcome.server_time_ms = 1700000000000ull;
    peer_send(p, &m);
}

bool peer_establish(test_peer *p, uint32_t heartbeat_interval_ms)
{
    peer_connect(p);
    wb_message m;
    if (!peer_expect(p, WB_MSG_HELLO, &m)) return false;
    peer_welcome(p, m.msg_id, heartbeat_interval_ms);
    return wb_agent_phase_of(&p->agent) == WB_AGENT_ESTABLISHED;
}

void peer_at(test_peer *p, uint64_t now)
{
    p->now = now;
    p->actions |= wb_agent_tick(&p->agent, now);
    peer_pump(p);
}

uint32_t peer_disconnect(test_peer *p)
{
    peer_pump(p);
    return wb_agent_on_disconnected(&p->agent, p->now);
}

bool peer_closing(const test_peer *p)
{
    return (p->actions & WB_AGENT_CLOSE) != 0 && wb_agent_phase_of(&p->agent) == WB_AGENT_CLOSING;
}

void peer_deploy(test_peer *p, const agent_fixture *f, uint32_t revision)
{
    wb_message m;
    memset(&m, 0, sizeof m);
    m.type = WB_MSG_DEPLOY;
    m.body.deploy.app_id = (wb_slice){(const uint8_t *)f->app_id, (uint32_t)strlen(f->app_id)};
    m.body.deploy.revision = revision ? revision : f->revision;
    m.body.deploy.manifest = (wb_slice){f->manifest, (uint32_t)f->manifest_len};
    m.body.deploy.signature = (wb_slice){f->signature, 64};
    m.body.deploy.publisher_key = (wb_slice){f->key, 32};
    peer_send(p, &m);
}

unsigned peer_serve(test_peer *p, const agent_fixture *f, uint32_t chunk, unsigned max_chunks)
{
    unsigned served = 0;
    while (served < max_chunks) {
        /* Anything but a ModuleRequest is left for the test. */
        wb_message m;
        if (!peer_peek(p, &m) || m.type != WB_MSG_MODULE_REQUEST) break;
        peer_next(p, &m);
        const wb_module_request *r = &m.body.module_request;
        CHECK(slice_is(r->app_id, f->app_id), "ModuleRequest for another app");
        CHECK(r->max_bytes == WB_MIN_DEVICE_FRAME_BYTES - WB_MODULE_CHUNK_OVERHEAD_BYTES, "maxBytes %u", (unsigned)r->max_bytes);
        CHECK(r->offset < f->module_len, "ModuleRequest offset %u past the module", (unsigned)r->offset);
        if (r->offset >= f->module_len) break;
        uint32_t n = r->max_bytes;
        if (chunk != 0 && chunk < n) n = chunk;
        if (n > f->module_len - r->offset) n = (uint32_t)(f->module_len - r->offset);
        wb_message c;
        memset(&c, 0, sizeof c);
        c.type = WB_MSG_MODULE_CHUNK;
        c.correlation_id = m.msg_id;
        c.body.module_chunk.app_id = r->app_id;
        c.body.module_chunk.revision = r->revision;
        c.body.module_chunk.offset = r->offset;
        c.body.module_chunk.total_bytes = (uint32_t)f->module_len;
        c.body.module_chunk.data = (wb_slice){f->module + r->offset, n};
        peer_send(p, &c);
        served++;
    }
    return served;
}

peer_run *peer_last_run(test_peer *p)
{
    return p->run_count > 0 ? &p->runs[p->run_count - 1] : NULL;
}

peer_run *peer_live_run(test_peer *p, const char *app_id)
{
    for (unsigned i = p->run_count; i-- > 0;) {
        peer_run *r = &p->runs[i];
        if (!r->stopped && !r->ended && strcmp(r->app_id, app_id) == 0) return r;
    }
    return NULL;
}

void peer_run_running(test_peer *p, peer_run *run)
{
    CHECK(run != NULL, "no run to report running");
    if (run == NULL) return;
    p->actions |= wb_agent_app_running(&p->agent, run->run_id, p->now);
    peer_pump(p);
}

void peer_run_ended(test_peer *p, peer_run *run, wb_agent_exit exit, const char *message)
{
    CHECK(run != NULL, "no run to report ended");
    if (run == NULL) return;
    run->ended = true;
    p->actions |= wb_agent_app_ended(&p->agent, run->run_id, exit, message, p->now);
    peer_pump(p);
}

bool peer_install(test_peer *p, const agent_fixture *f)
{
    peer_deploy(p, f, 0);
    peer_serve(p, f, 0, 1000);
    wb_message m;
    if (!peer_expect(p, WB_MSG_APP_STATUS, &m)) return false;
    CHECK(m.body.app_status.state == WB_APP_STARTING, "first AppStatus is %u", m.body.app_status.state);
    peer_run *run = peer_live_run(p, f->app_id);
    CHECK(run != NULL, "no run of %s started", f->app_id);
    if (run == NULL) return false;
    peer_run_running(p, run);
    if (!peer_expect(p, WB_MSG_APP_STATUS, &m)) return false;
    CHECK(m.body.app_status.state == WB_APP_RUNNING, "second AppStatus is %u", m.body.app_status.state);
    if (!peer_expect(p, WB_MSG_DEPLOY_RESULT, &m)) return false;
    CHECK(m.body.deploy_result.ok, "DeployResult not ok");
    return m.body.deploy_result.ok;
}
