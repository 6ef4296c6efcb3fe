/* Host tests of the device agent (core/agent) against the TEST PEER of
 * agent_test_peer.c: enrollment, heartbeats, deployments of real example
 * modules with manifests signed by Node (build/host/agent_fixtures.h), chunk
 * loss and resume, refusals, updates that keep the old module until the new one
 * runs, Stop, runtime events, Bye and redirects, reconnect backoff, malformed
 * input, back-pressure, and a mutation loop. Built with ASan and UBSan. */
#include <stdlib.h>
#include <string.h>

#include "agent_fixtures.h"
#include "check.h"
#include "proto/cbor.h"
#include "proto/limits.h"

#define HB 1000u /* heartbeatIntervalMs of the tests */
#define T0 1000u /* the clock when a test connects */

static wb_message msg(uint32_t type, uint32_t correlation_id)
{
    wb_message m;
    memset(&m, 0, sizeof m);
    m.type = type;
    m.correlation_id = correlation_id;
    return m;
}

static test_peer *established(const peer_options *o)
{
    test_peer *p = peer_new(o);
    p->now = T0;
    CHECK(peer_establish(p, HB), "session not established");
    return p;
}

static void send_stop(test_peer *p, const char *app_id)
{
    wb_message m = msg(WB_MSG_STOP, 0);
    m.body.stop.app_id = (wb_slice){(const uint8_t *)app_id, (uint32_t)strlen(app_id)};
    peer_send(p, &m);
}

static void send_bye(test_peer *p, const char *reason, const char *endpoint, uint32_t retry_after_ms)
{
    wb_message m = msg(WB_MSG_BYE, 0);
    m.body.bye.reason = (wb_slice){(const uint8_t *)reason, (uint32_t)strlen(reason)};
    if (endpoint != NULL) {
        m.body.bye.has_endpoint = true;
        m.body.bye.endpoint = (wb_slice){(const uint8_t *)endpoint, (uint32_t)strlen(endpoint)};
    }
    m.body.bye.has_retry_after_ms = retry_after_ms != 0;
    m.body.bye.retry_after_ms = retry_after_ms;
    peer_send(p, &m);
}

/* A ModuleChunk the test shapes itself, answering request `request_msg_id`. */
typedef struct {
    const char *app_id;
    uint32_t revision, offset, total;
    const uint8_t *data;
    uint32_t len;
} chunk_spec;

static void send_chunk(test_peer *p, uint32_t request_msg_id, chunk_spec c)
{
    wb_message m = msg(WB_MSG_MODULE_CHUNK, request_msg_id);
    m.body.module_chunk.app_id = (wb_slice){(const uint8_t *)c.app_id, (uint32_t)strlen(c.app_id)};
    m.body.module_chunk.revision = c.revision;
    m.body.module_chunk.offset = c.offset;
    m.body.module_chunk.total_bytes = c.total;
    m.body.module_chunk.data = (wb_slice){c.data, c.len};
    peer_send(p, &m);
}

/* The fixture's module from `offset`, `len` bytes, as the transfer asks for it. */
static chunk_spec part_of(const agent_fixture *f, uint32_t offset, uint32_t len)
{
    return (chunk_spec){f->app_id, f->revision, offset, (uint32_t)f->module_len, f->module + offset, len};
}

/* Answers the next ModuleRequest with the whole module, one byte flipped. */
static void send_tampered(test_peer *p, const agent_fixture *f, uint32_t flip_at)
{
    static uint8_t copy[70000];
    wb_message r;
    if (!peer_expect(p, WB_MSG_MODULE_REQUEST, &r)) return;
    memcpy(copy, f->module, f->module_len);
    copy[flip_at] ^= 0x01;
    chunk_spec c = part_of(f, 0, (uint32_t)f->module_len);
    c.data = copy;
    send_chunk(p, r.msg_id, c);
}

static void send_ack(test_peer *p, const wb_message *heartbeat)
{
    wb_message m = msg(WB_MSG_HEARTBEAT_ACK, heartbeat->msg_id);
    m.body.heartbeat_ack.seq = heartbeat->body.heartbeat.seq;
    m.body.heartbeat_ack.server_time_ms = 1700000000000ull + p->now;
    peer_send(p, &m);
}

/* The DeployResult that must follow, with its error code (NULL: ok). */
static void expect_result(test_peer *p, uint32_t deploy_msg_id, const char *code)
{
    wb_message m;
    if (!peer_expect(p, WB_MSG_DEPLOY_RESULT, &m)) return;
    const wb_deploy_result *r = &m.body.deploy_result;
    CHECK(m.correlation_id == deploy_msg_id, "DeployResult answers %u, not Deploy %u", (unsigned)m.correlation_id,
          (unsigned)deploy_msg_id);
    if (code == NULL) {
        CHECK(r->ok && r->has_sha256 && !r->has_error, "DeployResult not ok: %.*s", (int)r->error.message.len,
              (const char *)r->error.message.ptr);
    } else {
        CHECK(!r->ok && r->has_error && slice_is(r->error.code, code), "DeployResult %s expected, got %.*s (%.*s)", code,
              (int)r->error.code.len, (const char *)r->error.code.ptr, (int)r->error.message.len,
              (const char *)r->error.message.ptr);
    }
}

static void expect_status(test_peer *p, uint8_t state, uint32_t revision)
{
    wb_message m;
    if (!peer_expect(p, WB_MSG_APP_STATUS, &m)) return;
    CHECK(m.body.app_status.state == state, "AppStatus state %u, expected %u", m.body.app_status.state, state);
    CHECK(m.body.app_status.revision == revision, "AppStatus revision %u, expected %u", (unsigned)m.body.app_status.revision,
          (unsigned)revision);
}

static void expect_fatal_error(test_peer *p, const char *code)
{
    wb_message m;
    if (!peer_expect(p, WB_MSG_ERROR, &m)) return;
    CHECK(slice_is(m.body.error.code, code) && m.body.error.fatal, "fatal Error %s expected, got %.*s fatal=%d", code,
          (int)m.body.error.code.len, (const char *)m.body.error.code.ptr, m.body.error.fatal);
    CHECK(peer_closing(p), "the agent must close after a fatal Error");
    CHECK(peer_quiet(p), "nothing after a fatal Error");
}

/* ---- configuration ---- */

static void test_init_checks_the_configuration(void)
{
    test_peer *p = peer_new(NULL);
    CHECK(p->agent.module_room == PEER_SLOT_BYTES - WB_AGENT_SLOT_MANIFEST_BYTES, "maxModuleBytes = a slot's room");
    uint32_t needed = wb_agent_tx_needed(&p->agent);
    CHECK(needed > WB_AGENT_TX_BURST_BYTES && needed <= p->cfg.tx_cap, "tx_needed %u", (unsigned)needed);
    printf("agent: this configuration needs tx_cap >= %u (sizeof(wb_agent) %zu on this host)\n", (unsigned)needed,
           sizeof(wb_agent));
    {
        wb_agent a;
        wb_agent_config c = p->cfg;
        c.tx_cap = needed;
        CHECK(wb_agent_init(&a, &c) == WB_OK, "tx_cap = tx_needed is enough");
        c.tx_cap = needed - 1;
        CHECK(wb_agent_init(&a, &c) == WB_ERR_INVALID_ARGUMENT && wb_agent_tx_needed(&a) == needed, "one byte less is not");
    }
    static const struct {
        const char *what;
        int field;
    } cases[] = {{"tx_cap", 0}, {"rx_cap", 1}, {"endpoint", 2}, {"random hook", 3}, {"max_module_bytes", 4},
                 {"empty firmware", 5}, {"no slots", 6}, {"bad host function", 7}, {"max_instances", 8}};
    for (unsigned i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        wb_agent_config c = p->cfg;
        static const char *const bad_functions[] = {"wasmbed.log", "not a name"};
        switch (cases[i].field) {
        case 0: c.tx_cap = 4096; break;
        case 1: c.rx_cap = 2048; break;
        case 2: c.endpoint = "no-port"; break;
        case 3: c.hooks.random_u32 = NULL; break;
        case 4: c.max_module_bytes = PEER_SLOT_BYTES; break;
        case 5: c.firmware = ""; break;
        case 6: c.slot_count = 0; break;
        case 7: c.host_functions = bad_functions; c.host_function_count = 2; break;
        case 8: c.max_instances = WB_AGENT_MAX_APPS + 1; break;
        }
        wb_agent a;
        CHECK(wb_agent_init(&a, &c) == WB_ERR_INVALID_ARGUMENT && wb_agent_problem(&a) != NULL, "init accepts %s",
              cases[i].what);
    }
    peer_free(p);
}

/* ---- enrollment ---- */

static void test_hello(void)
{
    test_peer *p = peer_new(&(peer_options){.follow_redirects = true});
    peer_connect(p);
    wb_message m;
    if (peer_expect(p, WB_MSG_HELLO, &m)) {
        const wb_hello *h = &m.body.hello;
        CHECK(m.msg_id == 1 && m.correlation_id == 0, "Hello is message 1");
        CHECK(slice_is(h->firmware, "wasmbed-fw/0.1.0-test") && slice_is(h->board, "host") && slice_is(h->arch, "x86_64"),
              "Hello describes the device");
        CHECK(h->max_frame_bytes == WB_MIN_DEVICE_FRAME_BYTES && h->ram_bytes == 256 * 1024, "Hello limits");
        CHECK(slice_is(h->runtime.name, "wamr") && h->runtime.max_instances == 4 &&
                  h->runtime.max_module_bytes == PEER_SLOT_BYTES - WB_AGENT_SLOT_MANIFEST_BYTES &&
                  h->runtime.host_functions.count == 6,
              "Hello runtime");
        const wb_slice *features = h->features.items;
        CHECK(h->has_features && h->features.count == 1 && slice_is(features[0], "redirect"), "Hello announces redirect");
        CHECK(h->apps.count == 0, "no apps yet");
    }
    CHECK(wb_agent_phase_of(&p->agent) == WB_AGENT_ENROLLING, "enrolling after Hello");
    peer_free(p);

    p = peer_new(NULL);
    peer_connect(p);
    if (peer_expect(p, WB_MSG_HELLO, &m)) CHECK(!m.body.hello.has_features, "no features without redirect");
    peer_free(p);
}

static void test_welcome(void)
{
    test_peer *p = established(NULL);
    CHECK(strcmp(wb_agent_device_id(&p->agent), "dev-1") == 0, "deviceId from Welcome");
    CHECK(peer_quiet(p), "Welcome needs no answer");
    CHECK(wb_agent_next_wakeup(&p->agent) == T0 + HB, "the first heartbeat is one interval after Welcome");
    CHECK(wb_agent_device_time(&p->agent, T0 + 5) == 1700000000005ull, "device time follows serverTimeMs");
    peer_free(p);
}

/* connect, Hello, EnrollmentPending: the device is Pending. Returns Hello's msgId. */
static uint32_t pending(test_peer *p, uint32_t retry_after_ms)
{
    peer_connect(p);
    wb_message hello;
    peer_expect(p, WB_MSG_HELLO, &hello);
    wb_message m = msg(WB_MSG_ENROLLMENT_PENDING, hello.msg_id);
    m.body.enrollment_pending.retry_after_ms = retry_after_ms;
    m.body.enrollment_pending.reason = WB_SLICE_LIT("waiting for approval");
    peer_send(p, &m);
    CHECK(wb_agent_phase_of(&p->agent) == WB_AGENT_PENDING, "pending");
    return hello.msg_id;
}

static void test_pending_then_welcome(void)
{
    test_peer *p = peer_new(NULL);
    uint32_t hello = pending(p, 30000);
    peer_at(p, 200000); /* long past the enrollment reply timeout: Pending has its own, longer hold */
    CHECK(wb_agent_phase_of(&p->agent) == WB_AGENT_PENDING && peer_quiet(p), "the device waits quietly while pending");
    peer_welcome(p, hello, HB);
    CHECK(wb_agent_phase_of(&p->agent) == WB_AGENT_ESTABLISHED, "Welcome after EnrollmentPending establishes");
    peer_at(p, 200000 + HB);
    CHECK(peer_expect(p, WB_MSG_HEARTBEAT, NULL), "heartbeats once established");
    peer_free(p);
}

static void test_pending_ends(void)
{
    /* The hold runs out: the device waits retryAfterMs (+ jitter) before trying again. */
    test_peer *p = peer_new(NULL);
    pending(p, 45000);
    peer_at(p, WB_AGENT_PENDING_HOLD_MS - 1);
    CHECK(!peer_closing(p), "still pending");
    peer_at(p, WB_AGENT_PENDING_HOLD_MS);
    CHECK(peer_closing(p) && wb_agent_last_end(&p->agent)->kind == WB_AGENT_END_PENDING_TIMEOUT, "pending hold expired");
    uint32_t delay = peer_disconnect(p);
    CHECK(delay >= 45000 && delay <= 54000, "after Pending: retryAfterMs plus jitter, got %u", (unsigned)delay);

    /* The gateway ends it (Bye pending_timeout): same wait. */
    pending(p, 30000);
    send_bye(p, "pending_timeout", NULL, 0);
    CHECK(peer_closing(p) && strcmp(wb_agent_last_end(&p->agent)->code, "pending_timeout") == 0, "Bye ends Pending");
    delay = peer_disconnect(p);
    CHECK(delay >= 30000 && delay <= 36000, "Bye while pending: its retryAfterMs, got %u", (unsigned)delay);
    peer_free(p);
}

static void test_enrollment_reply_timeout(void)
{
    test_peer *p = peer_new(NULL);
    peer_connect(p);
    peer_at(p, WB_AGENT_ENROLLMENT_REPLY_TIMEOUT_MS - 1);
    CHECK(!peer_closing(p), "waits for the answer to Hello");
    peer_at(p, WB_AGENT_ENROLLMENT_REPLY_TIMEOUT_MS);
    CHECK(peer_closing(p) && wb_agent_last_end(&p->agent)->kind == WB_AGENT_END_REPLY_TIMEOUT, "no answer in 30 s");
    uint32_t delay = peer_disconnect(p);
    CHECK(delay >= 800 && delay <= 1200, "first backoff 1 s ± 20 %%, got %u", (unsigned)delay);
    peer_free(p);
}

static void test_rejected_revoked(void)
{
    test_peer *p = established(NULL);
    peer_install(p, &fx_hello_r1);
    peer_run *run = peer_live_run(p, "hello");
    peer_disconnect(p);
    /* Apps run on while offline, and the next Hello reports them. */
    CHECK(run != NULL && !run->stopped, "the app survives the disconnect");
    peer_connect(p);
    wb_message hello;
    if (peer_expect(p, WB_MSG_HELLO, &hello)) {
        const wb_app_summary *apps = hello.body.hello.apps.items;
        CHECK(hello.body.hello.apps.count == 1 && slice_is(apps[0].app_id, "hello") && apps[0].state == WB_APP_RUNNING &&
                  memcmp(apps[0].sha256.ptr, fx_module_hello_sha256, 32) == 0,
              "Hello reports the running app and the hash of its module");
    }
    wb_message m = msg(WB_MSG_REJECTED, hello.msg_id);
    m.body.rejected.code = WB_SLICE_LIT("revoked");
    m.body.rejected.reason = WB_SLICE_LIT("key revoked");
    peer_send(p, &m);
    CHECK(peer_closing(p) && wb_agent_last_end(&p->agent)->kind == WB_AGENT_END_REJECTED, "Rejected closes");
    CHECK(run != NULL && run->stopped, "revoked: the device stops its apps");
    const wb_agent_app *app = wb_agent_find_app(&p->agent, "hello");
    CHECK(app != NULL && app->state == WB_APP_STOPPED && app->slot < 0, "and removes them");
    uint32_t delay = peer_disconnect(p);
    CHECK(delay >= WB_AGENT_BACKOFF_MAX_MS && delay <= WB_AGENT_BACKOFF_MAX_MS * 12 / 10,
          "after Rejected: not sooner than the maximum backoff, got %u", (unsigned)delay);
    peer_free(p);
}

/* ---- heartbeats ---- */

static void test_heartbeats(void)
{
    test_peer *p = established(NULL);
    peer_install(p, &fx_hello_r1);
    for (uint32_t seq = 1; seq <= 10; seq++) {
        peer_at(p, T0 + seq * HB - 1);
        CHECK(peer_quiet(p), "no heartbeat before its time (seq %u)", (unsigned)seq);
        peer_at(p, T0 + seq * HB);
        wb_message m;
        if (!peer_expect(p, WB_MSG_HEARTBEAT, &m)) break;
        const wb_heartbeat *h = &m.body.heartbeat;
        CHECK(h->seq == seq && m.correlation_id == 0, "Heartbeat seq %u, expected %u", (unsigned)h->seq, (unsigned)seq);
        CHECK(h->uptime_ms == T0 + seq * HB, "uptimeMs");
        CHECK(h->free_memory_bytes == 1024 * 1024 - 65536, "free memory: app RAM less the running app's limit");
        const wb_app_summary *apps = h->apps.items;
        CHECK(h->apps.count == 1 && slice_is(apps[0].app_id, "hello") && apps[0].revision == 1 &&
                  apps[0].state == WB_APP_RUNNING && memcmp(apps[0].sha256.ptr, fx_module_hello_sha256, 32) == 0,
              "Heartbeat attests the module it runs");
        send_ack(p, &m);
    }
    CHECK(!peer_closing(p), "acknowledged heartbeats keep the session");
    peer_free(p);
}

static void test_heartbeat_ack_timeout(void)
{
    test_peer *p = established(NULL);
    wb_message m;
    peer_at(p, T0 + HB);
    peer_expect(p, WB_MSG_HEARTBEAT, &m);
    send_ack(p, &m); /* the last ack: at T0 + HB */
    for (uint32_t k = 2; k <= 3; k++) {
        peer_at(p, T0 + k * HB);
        peer_expect(p, WB_MSG_HEARTBEAT, &m);
    }
    peer_at(p, T0 + HB + WB_AGENT_HEARTBEAT_MISSES * HB - 1);
    CHECK(!peer_closing(p), "within 3 intervals of the last ack");
    peer_at(p, T0 + HB + WB_AGENT_HEARTBEAT_MISSES * HB);
    CHECK(peer_closing(p) && wb_agent_last_end(&p->agent)->kind == WB_AGENT_END_ACK_TIMEOUT,
          "3 intervals without HeartbeatAck: close");
    CHECK(peer_quiet(p), "no heartbeat at the deadline");
    uint32_t delay = peer_disconnect(p);
    CHECK(delay >= 800 && delay <= 1200, "reconnect with backoff, got %u", (unsigned)delay);
    peer_free(p);
}

/* ---- deployments ---- */

static void test_deploy_hello(void)
{
    test_peer *p = established(NULL);
    peer_deploy(p, &fx_hello_r1, 0);
    uint32_t deploy = p->gw_msg_id;
    wb_message m;
    CHECK(peer_peek(p, &m) && m.type == WB_MSG_MODULE_REQUEST && m.body.module_request.offset == 0 &&
              m.body.module_request.revision == 1 && m.correlation_id == 0,
          "the transfer starts at 0");
    CHECK(peer_serve(p, &fx_hello_r1, 0, 100) == 1, "830 bytes: one chunk");
    expect_status(p, WB_APP_STARTING, 1);
    peer_run *run = peer_live_run(p, "hello");
    CHECK(run != NULL && run->module_len == fx_hello_r1.module_len && memcmp(run->sha256, fx_module_hello_sha256, 32) == 0,
          "the runtime got the verified module");
    CHECK(peer_quiet(p), "no DeployResult before the entry point runs");
    peer_run_running(p, run);
    expect_status(p, WB_APP_RUNNING, 1);
    if (peer_expect(p, WB_MSG_DEPLOY_RESULT, &m)) {
        CHECK(m.correlation_id == deploy && m.body.deploy_result.ok &&
                  memcmp(m.body.deploy_result.sha256.ptr, fx_module_hello_sha256, 32) == 0,
              "DeployResult ok with the module's SHA-256");
    }
    /* The same Deploy again (e.g. a reconciling gateway): already runs it. */
    peer_deploy(p, &fx_hello_r1, 0);
    expect_result(p, p->gw_msg_id, NULL);
    CHECK(peer_quiet(p) && p->run_count == 1, "nothing transferred or started again");
    peer_free(p);
}

static void test_chunked_transfers(void)
{
    /* 65010 bytes in requests of maxFrameBytes − 136, written through the flash hook. */
    test_peer *p = established(&(peer_options){.flash_slots = true});
    peer_deploy(p, &fx_big, 0);
    unsigned chunks = peer_serve(p, &fx_big, 0, 100);
    unsigned want = (unsigned)((fx_big.module_len + 3959) / 3960);
    CHECK(chunks == want, "big-64k in %u chunks, expected %u", chunks, want);
    CHECK(p->store_writes == chunks + 1, "manifest and chunks go through store_write (%u)", p->store_writes);
    expect_status(p, WB_APP_STARTING, 1);
    peer_run_running(p, peer_live_run(p, "big"));
    expect_status(p, WB_APP_RUNNING, 1);
    expect_result(p, 1 + 1, NULL); /* Welcome was the gateway's message 1, Deploy 2 */
    peer_free(p);

    /* A gateway may send fewer bytes than asked; the stream may arrive in odd pieces. */
    p = established(NULL);
    p->split = 7;
    peer_deploy(p, &fx_hello_r1, 0);
    chunks = peer_serve(p, &fx_hello_r1, 100, 100);
    CHECK(chunks == 9, "830 bytes in 100-byte chunks: 9, got %u", chunks);
    expect_status(p, WB_APP_STARTING, 1);
    peer_free(p);
}

static void test_resume_after_link_loss(void)
{
    test_peer *p = established(NULL);
    peer_deploy(p, &fx_big, 0);
    CHECK(peer_serve(p, &fx_big, 0, 5) == 5, "5 chunks served");
    wb_message lost;
    peer_expect(p, WB_MSG_MODULE_REQUEST, &lost); /* the 6th request, never answered: the link drops */
    peer_disconnect(p);
    p->now += 2000;
    CHECK(peer_establish(p, HB), "reconnected");
    peer_deploy(p, &fx_big, 0);
    wb_message m;
    if (peer_expect(p, WB_MSG_MODULE_REQUEST, &m)) {
        CHECK(m.body.module_request.offset == 5 * 3960, "resumes at the first missing byte, got %u",
              (unsigned)m.body.module_request.offset);
        /* Answer it, then the rest. */
        send_chunk(p, m.msg_id, part_of(&fx_big, 5 * 3960, 3960));
    }
    CHECK(peer_serve(p, &fx_big, 0, 100) == 11, "the remaining 11 chunks");
    expect_status(p, WB_APP_STARTING, 1);
    CHECK(peer_live_run(p, "big") != NULL, "the resumed module verified and started");
    peer_free(p);
}

static void test_transfer_timeout_and_gateway_error(void)
{
    test_peer *p = established(NULL);
    peer_deploy(p, &fx_hello_r1, 0);
    uint32_t deploy = p->gw_msg_id;
    CHECK(peer_serve(p, &fx_hello_r1, 100, 3) == 3, "3 chunks");
    wb_message request;
    peer_expect(p, WB_MSG_MODULE_REQUEST, &request); /* lost: never answered */
    uint32_t request_id = request.msg_id;
    /* Heartbeats go on meanwhile (acked), the request times out after 3 intervals. */
    for (uint32_t k = 1; k <= 3; k++) {
        peer_at(p, T0 + k * HB);
        wb_message hb;
        if (peer_expect(p, WB_MSG_HEARTBEAT, &hb)) send_ack(p, &hb);
    }
    expect_result(p, deploy, "transfer_failed");
    /* The lost chunk turns up late: not fatal. */
    send_chunk(p, request_id, part_of(&fx_hello_r1, 300, 100));
    wb_message e;
    if (peer_expect(p, WB_MSG_ERROR, &e)) {
        CHECK(slice_is(e.body.error.code, "unexpected_message") && !e.body.error.fatal, "a stray chunk is not fatal");
    }
    CHECK(!peer_closing(p), "the session goes on");
    /* Deployed again: resumes from the 300 bytes kept. */
    peer_deploy(p, &fx_hello_r1, 0);
    deploy = p->gw_msg_id;
    if (peer_expect(p, WB_MSG_MODULE_REQUEST, &request)) {
        CHECK(request.body.module_request.offset == 300, "resume at 300, got %u", (unsigned)request.body.module_request.offset);
    }
    /* The gateway cannot serve it: Error for the request ends the transfer. */
    wb_message err = msg(WB_MSG_ERROR, request.msg_id);
    err.body.error.code = WB_SLICE_LIT("internal");
    err.body.error.message = WB_SLICE_LIT("module store unavailable");
    peer_send(p, &err);
    expect_result(p, deploy, "transfer_failed");
    CHECK(!peer_closing(p) && peer_quiet(p), "a non-fatal Error keeps the session");
    peer_free(p);
}

static void test_tampered_and_wrong_hash(void)
{
    test_peer *p = established(NULL);
    peer_deploy(p, &fx_hello_r1, 0);
    uint32_t deploy = p->gw_msg_id;
    send_tampered(p, &fx_hello_r1, 400);
    expect_result(p, deploy, "bad_hash");
    CHECK(p->run_count == 0, "a tampered module never starts");
    /* Its bytes are gone: a new Deploy starts from 0. */
    peer_deploy(p, &fx_hello_r1, 0);
    wb_message r;
    if (peer_expect(p, WB_MSG_MODULE_REQUEST, &r)) CHECK(r.body.module_request.offset == 0, "bad bytes not resumed");
    send_stop(p, "hello");
    peer_expect(p, WB_MSG_STOP_RESULT, NULL);

    /* A signed manifest whose hash is not the module's. */
    peer_deploy(p, &fx_wrong_hash, 0);
    deploy = p->gw_msg_id;
    peer_serve(p, &fx_wrong_hash, 0, 10);
    expect_result(p, deploy, "bad_hash");
    CHECK(p->run_count == 0, "nothing started");
    peer_free(p);
}

/* Step 6 of §7.3: a chunk that is not what was asked for ends the transfer. */
static void test_inconsistent_chunks(void)
{
    static const struct {
        const char *what;
        const agent_fixture *f;
        uint32_t offset, total, len;
        const char *app_id;
        uint32_t revision;
    } cases[] = {
        {"wrong offset", &fx_hello_r1, 100, 830, 100, "hello", 1},
        {"wrong totalBytes", &fx_hello_r1, 0, 829, 100, "hello", 1},
        {"another app", &fx_hello_r1, 0, 830, 100, "other", 1},
        {"another revision", &fx_hello_r1, 0, 830, 100, "hello", 2},
        {"more than asked", &fx_big, 0, 65010, 3961, "big", 1},
    };
    test_peer *p = established(NULL);
    for (unsigned i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const uint8_t *data = cases[i].f->module;
        peer_deploy(p, cases[i].f, 0);
        uint32_t deploy = p->gw_msg_id;
        wb_message r;
        if (!peer_expect(p, WB_MSG_MODULE_REQUEST, &r)) break;
        CHECK(r.body.module_request.offset == 0, "%s: every attempt starts at 0", cases[i].what);
        send_chunk(p, r.msg_id, (chunk_spec){cases[i].app_id, cases[i].revision, cases[i].offset, cases[i].total, data, cases[i].len});
        wb_message e;
        if (peer_expect(p, WB_MSG_ERROR, &e)) {
            CHECK(slice_is(e.body.error.code, "unexpected_message") && !e.body.error.fatal && e.correlation_id == p->gw_msg_id,
                  "%s: non-fatal Error answering the chunk", cases[i].what);
        }
        expect_result(p, deploy, "transfer_failed");
    }
    CHECK(p->run_count == 0 && !peer_closing(p), "nothing started, the session goes on");
    peer_free(p);
}

static void deploy_refused(test_peer *p, const agent_fixture *f, uint32_t revision, const char *code)
{
    peer_deploy(p, f, revision);
    expect_result(p, p->gw_msg_id, code);
    CHECK(peer_quiet(p), "%s: no transfer", code);
}

static void test_deploy_refusals(void)
{
    static uint8_t trusted[1][32];
    memcpy(trusted[0], fx_publisher_key, 32);
    test_peer *p = established(&(peer_options){.trusted_keys = (const uint8_t(*)[32])trusted, .trusted_key_count = 1});
    deploy_refused(p, &fx_untrusted, 0, "untrusted_publisher");
    agent_fixture forged = fx_hello_r1;
    uint8_t signature[64];
    memcpy(signature, fx_hello_r1.signature, 64);
    signature[10] ^= 0x40;
    forged.signature = signature;
    deploy_refused(p, &forged, 0, "bad_signature");
    deploy_refused(p, &fx_unsorted, 0, "invalid_manifest");
    deploy_refused(p, &fx_hello_r1, 9, "invalid_manifest");
    deploy_refused(p, &fx_too_large, 0, "module_too_large");
    deploy_refused(p, &fx_missing_host_function, 0, "missing_host_function");
    deploy_refused(p, &fx_memory_hog, 0, "limit_exceeded");
    CHECK(p->run_count == 0 && !peer_closing(p), "refusals start nothing and keep the session");
    peer_free(p);

    /* Without pinned keys the gateway decides: any publisher with a valid signature. */
    p = established(NULL);
    peer_deploy(p, &fx_untrusted, 0);
    CHECK(peer_expect(p, WB_MSG_MODULE_REQUEST, NULL), "any publisher is accepted");
    /* One Deploy at a time. */
    deploy_refused(p, &fx_counter, 0, "limit_exceeded");
    peer_free(p);

    /* Instances, then slots. */
    p = established(&(peer_options){.max_instances = 1});
    peer_install(p, &fx_hello_r1);
    deploy_refused(p, &fx_counter, 0, "limit_exceeded");
    peer_free(p);
    p = established(&(peer_options){.slot_count = 1});
    peer_install(p, &fx_hello_r1);
    deploy_refused(p, &fx_counter, 0, "limit_exceeded");
    peer_free(p);
}

static void test_update_keeps_the_old_module(void)
{
    test_peer *p = established(NULL);
    peer_install(p, &fx_hello_r1);
    peer_run *old = peer_live_run(p, "hello");

    /* A tampered update: the running revision is not touched. */
    peer_deploy(p, &fx_hello_r2, 0);
    uint32_t deploy = p->gw_msg_id;
    send_tampered(p, &fx_hello_r2, 0);
    expect_result(p, deploy, "bad_hash");
    CHECK(!old->stopped && peer_live_run(p, "hello") == old, "revision 1 keeps running");

    /* A verified update that fails before its entry point: back to revision 1. */
    peer_deploy(p, &fx_hello_r2, 0);
    deploy = p->gw_msg_id;
    peer_serve(p, &fx_hello_r2, 0, 10);
    expect_status(p, WB_APP_STARTING, 2);
    peer_run *next = peer_live_run(p, "hello");
    CHECK(old->stopped && next != NULL && next->revision == 2, "the old run stops only for the verified module");
    peer_run_ended(p, next, WB_AGENT_EXIT_INVALID_MODULE, "no export \"run\"");
    expect_status(p, WB_APP_FAILED, 2);
    expect_result(p, deploy, "instantiate_failed");
    expect_status(p, WB_APP_STARTING, 1);
    peer_run *restored = peer_live_run(p, "hello");
    CHECK(restored != NULL && restored->revision == 1 && memcmp(restored->sha256, fx_module_hello_sha256, 32) == 0,
          "revision 1 is restored from its kept module");
    peer_run_running(p, restored);
    expect_status(p, WB_APP_RUNNING, 1);

    /* Refused synchronously by the runtime: same. */
    p->refuse_next_start = true;
    peer_deploy(p, &fx_hello_r2, 0);
    deploy = p->gw_msg_id;
    peer_serve(p, &fx_hello_r2, 0, 10);
    expect_status(p, WB_APP_STARTING, 2);
    expect_status(p, WB_APP_FAILED, 2);
    expect_result(p, deploy, "instantiate_failed");
    expect_status(p, WB_APP_STARTING, 1);
    peer_run_running(p, peer_live_run(p, "hello"));
    expect_status(p, WB_APP_RUNNING, 1);

    /* A good update: the old module's slot is released once the new one runs. */
    CHECK(peer_install(p, &fx_hello_r2), "revision 2 installed");
    unsigned used = 0;
    for (unsigned i = 0; i < p->cfg.slot_count; i++) used += p->agent.slots[i].state != 0;
    CHECK(used == 1, "one module kept, %u slots in use", used);
    const wb_agent_app *app = wb_agent_find_app(&p->agent, "hello");
    CHECK(app != NULL && app->revision == 2 && memcmp(app->sha256, fx_module_counter_sha256, 32) == 0, "now revision 2");
    peer_free(p);
}

static void test_stop(void)
{
    test_peer *p = established(NULL);
    peer_install(p, &fx_hello_r1);
    peer_run *run = peer_live_run(p, "hello");
    send_stop(p, "hello");
    uint32_t stop = p->gw_msg_id;
    wb_message m;
    if (peer_expect(p, WB_MSG_STOP_RESULT, &m)) {
        CHECK(m.correlation_id == stop && m.body.stop_result.ok && slice_is(m.body.stop_result.app_id, "hello"), "StopResult");
    }
    expect_status(p, WB_APP_STOPPED, 1);
    CHECK(run->stopped && p->agent.slots[0].state == 0, "run stopped, module removed");
    send_stop(p, "nothing-here");
    if (peer_expect(p, WB_MSG_STOP_RESULT, &m)) CHECK(m.body.stop_result.ok, "stopping an unknown app succeeds");
    CHECK(peer_quiet(p), "and reports no status");

    /* Stop cancels a transfer: StopResult only, the bytes stay resumable. */
    peer_deploy(p, &fx_big, 0);
    peer_serve(p, &fx_big, 0, 2);
    wb_message request;
    peer_expect(p, WB_MSG_MODULE_REQUEST, &request);
    send_stop(p, "big");
    peer_expect(p, WB_MSG_STOP_RESULT, NULL);
    CHECK(peer_quiet(p), "no DeployResult for a cancelled deployment");
    send_chunk(p, request.msg_id, part_of(&fx_big, 2 * 3960, 3960)); /* it crossed the Stop */
    if (peer_expect(p, WB_MSG_ERROR, &m)) CHECK(!m.body.error.fatal, "a chunk that crossed a Stop is not fatal");
    peer_deploy(p, &fx_big, 0);
    if (peer_expect(p, WB_MSG_MODULE_REQUEST, &m)) CHECK(m.body.module_request.offset == 2 * 3960, "resumes after Stop");

    /* Stop while the new module is starting: no DeployResult, the late "running" is ignored. */
    peer_free(p);
    p = established(NULL);
    peer_deploy(p, &fx_hello_r1, 0);
    peer_serve(p, &fx_hello_r1, 0, 10);
    expect_status(p, WB_APP_STARTING, 1);
    run = peer_live_run(p, "hello");
    send_stop(p, "hello");
    peer_expect(p, WB_MSG_STOP_RESULT, NULL);
    expect_status(p, WB_APP_STOPPED, 1);
    wb_agent_app_running(&p->agent, run->run_id, p->now);
    CHECK(peer_quiet(p), "events of a stopped run are ignored");
    peer_free(p);
}

/* ---- runtime events ---- */

static void test_restart_policy(void)
{
    /* Heartbeats far apart: this test is about the app's timers. */
    test_peer *p = peer_new(NULL);
    p->now = T0;
    peer_establish(p, WB_MAX_HEARTBEAT_INTERVAL_MS);
    peer_install(p, &fx_hello_r2); /* autoRestart, maxRestarts 2 */
    for (uint32_t restarts = 0; restarts <= 2; restarts++) {
        peer_run *run = peer_live_run(p, "hello");
        CHECK(run != NULL && run->restarts == restarts, "run with %u restarts", (unsigned)restarts);
        if (run == NULL) break;
        peer_run_ended(p, run, WB_AGENT_EXIT_TRAP, "unreachable executed");
        wb_message m;
        if (peer_expect(p, WB_MSG_APP_STATUS, &m)) {
            const wb_app_status *s = &m.body.app_status;
            CHECK(s->state == WB_APP_FAILED && s->has_error && slice_is(s->error.code, "trap") &&
                      slice_is(s->error.message, "trap: unreachable executed"),
                  "failed with the trap");
        }
        const wb_agent_app *app = wb_agent_find_app(&p->agent, "hello");
        if (restarts == 2) {
            CHECK(app->restart_at == 0, "maxRestarts reached: no restart");
            break;
        }
        uint32_t base = 1000u << restarts;
        CHECK(app->restart_at >= p->now + base * 8 / 10 && app->restart_at <= p->now + base * 12 / 10,
              "restart after ~%u ms", (unsigned)base);
        peer_at(p, app->restart_at);
        wb_message s;
        if (peer_expect(p, WB_MSG_APP_STATUS, &s)) {
            CHECK(s.body.app_status.state == WB_APP_STARTING && s.body.app_status.restarts == restarts + 1, "restarting");
        }
        peer_run_running(p, peer_live_run(p, "hello"));
        expect_status(p, WB_APP_RUNNING, 2);
    }

    /* Without `restart`: a returned run is stopped for good. */
    peer_free(p);
    p = established(NULL);
    peer_install(p, &fx_hello_r1);
    peer_run_ended(p, peer_live_run(p, "hello"), WB_AGENT_EXIT_RETURNED, NULL);
    expect_status(p, WB_APP_STOPPED, 1);
    CHECK(wb_agent_find_app(&p->agent, "hello")->restart_at == 0, "no restart without a policy");
    /* Stale events (ended run, unknown run) change nothing. */
    wb_agent_app_ended(&p->agent, 12345, WB_AGENT_EXIT_TRAP, "x", p->now);
    wb_agent_app_log(&p->agent, 12345, 1, (const uint8_t *)"x", 1, p->now);
    CHECK(peer_quiet(p), "stale events are ignored");
    peer_free(p);
}

/* AppStatus and AppLog only go out in an established session (§7.2); Hello and
 * Heartbeat carry what happened meanwhile. */
static void test_events_while_enrolling(void)
{
    test_peer *p = established(NULL);
    peer_install(p, &fx_hello_r1);
    peer_run *run = peer_live_run(p, "hello");
    peer_disconnect(p);
    peer_connect(p);
    wb_message hello;
    peer_expect(p, WB_MSG_HELLO, &hello);
    wb_agent_app_log(&p->agent, run->run_id, 1, (const uint8_t *)"x", 1, p->now);
    peer_run_ended(p, run, WB_AGENT_EXIT_TRAP, "out of bounds memory access");
    CHECK(peer_quiet(p), "nothing but Hello before Welcome");
    peer_welcome(p, hello.msg_id, HB);
    peer_at(p, p->now + HB);
    wb_message m;
    if (peer_expect(p, WB_MSG_HEARTBEAT, &m)) {
        const wb_app_summary *apps = m.body.heartbeat.apps.items;
        CHECK(m.body.heartbeat.apps.count == 1 && apps[0].state == WB_APP_FAILED && apps[0].has_error &&
                  slice_is(apps[0].error.code, "trap"),
              "the Heartbeat reports the failure");
        CHECK(m.body.heartbeat.free_memory_bytes == 1024 * 1024, "a failed app holds no memory");
    }
    peer_free(p);
}

static void test_app_logs(void)
{
    test_peer *p = established(NULL);
    peer_install(p, &fx_hello_r1);
    peer_run *run = peer_live_run(p, "hello");
    p->now = T0 + 500;
    wb_agent_app_log(&p->agent, run->run_id, 1, (const uint8_t *)"temperature 19200 m\xc2\xb0" "C", 22, p->now);
    wb_message m;
    if (peer_expect(p, WB_MSG_APP_LOG, &m)) {
        const wb_app_log *l = &m.body.app_log;
        CHECK(slice_is(l->app_id, "hello") && l->level == 1 && slice_is(l->message, "temperature 19200 m\xc2\xb0" "C"),
              "AppLog carries the line");
        CHECK(l->time_ms == 1700000000000ull + 500, "timeMs is device time (serverTimeMs + elapsed)");
    }
    /* Invalid UTF-8 and a cut in the middle of a sequence are repaired, over-long lines cut. */
    wb_agent_app_log(&p->agent, run->run_id, 2, (const uint8_t *)"bad \xff byte", 10, p->now);
    if (peer_expect(p, WB_MSG_APP_LOG, &m)) CHECK(slice_is(m.body.app_log.message, "bad ? byte"), "invalid UTF-8 replaced");
    static uint8_t long_line[2000];
    memset(long_line, 'x', sizeof long_line);
    long_line[1022] = 0xe2; /* a 3-byte sequence across the 1024-byte cut */
    long_line[1023] = 0x82;
    long_line[1024] = 0xac;
    wb_agent_app_log(&p->agent, run->run_id, 0, long_line, sizeof long_line, p->now);
    if (peer_expect(p, WB_MSG_APP_LOG, &m)) CHECK(m.body.app_log.message.len == 1022, "cut before the split sequence");
    wb_agent_app_log(&p->agent, run->run_id, 9, (const uint8_t *)"x", 1, p->now);
    CHECK(peer_quiet(p), "an unknown level is dropped");

    /* Rate limit: a burst of 20 (3 already used), then 10 per second. */
    for (unsigned i = 0; i < 40; i++) wb_agent_app_log(&p->agent, run->run_id, 1, (const uint8_t *)"spam", 4, p->now);
    unsigned sent = 0;
    while (peer_next(p, &m)) sent += m.type == WB_MSG_APP_LOG;
    CHECK(sent == WB_AGENT_LOG_BURST - 3, "burst of %u lines, sent %u", WB_AGENT_LOG_BURST - 3, sent);
    p->now += 1000;
    wb_agent_app_log(&p->agent, run->run_id, 1, (const uint8_t *)"after", 5, p->now);
    if (peer_expect(p, WB_MSG_APP_LOG, &m)) {
        CHECK(m.body.app_log.level == WB_LOG_WARN && slice_is(m.body.app_log.message, "23 log line(s) dropped by the device's rate limit"),
              "a note counts the dropped lines: %.*s", (int)m.body.app_log.message.len, (const char *)m.body.app_log.message.ptr);
    }
    if (peer_expect(p, WB_MSG_APP_LOG, &m)) CHECK(slice_is(m.body.app_log.message, "after"), "then the line");

    /* No AppLog outside an established session. */
    peer_disconnect(p);
    wb_agent_app_log(&p->agent, run->run_id, 1, (const uint8_t *)"offline", 7, p->now);
    CHECK(wb_agent_output_pending(&p->agent) == 0, "logs are not queued offline");
    peer_free(p);
}

/* ---- Bye, redirects, backoff ---- */

static void test_bye_redirect(void)
{
    test_peer *p = established(&(peer_options){.follow_redirects = true});
    peer_install(p, &fx_hello_r1);
    peer_run *run = peer_live_run(p, "hello");
    send_bye(p, "rebalance", "gw-b.example.net:4423", 0);
    const wb_agent_end *end = wb_agent_last_end(&p->agent);
    CHECK(peer_closing(p) && end->kind == WB_AGENT_END_BYE && strcmp(end->code, "rebalance") == 0 && end->redirected &&
              strcmp(end->endpoint, "gw-b.example.net:4423") == 0,
          "Bye rebalance: the agent reports the redirect");
    CHECK(peer_disconnect(p) == 0, "follows it at once");
    CHECK(strcmp(wb_agent_endpoint(&p->agent), "gw-b.example.net:4423") == 0, "dials the new gateway");
    CHECK(!run->stopped, "apps keep running while the device moves");

    /* Connected there: it stays the preferred gateway. */
    CHECK(peer_establish(p, HB), "established at gw-b");
    peer_disconnect(p);
    CHECK(strcmp(wb_agent_endpoint(&p->agent), "gw-b.example.net:4423") == 0, "gw-b stays preferred");
    /* 3 attempts in a row there fail: back to the provisioned gateway. */
    for (int i = 0; i < 3; i++) {
        CHECK(strcmp(wb_agent_endpoint(&p->agent), "gw-b.example.net:4423") == 0, "attempt %d at gw-b", i + 1);
        CHECK(peer_disconnect(p) > 0, "failed attempts back off");
    }
    CHECK(strcmp(wb_agent_endpoint(&p->agent), "gw-a.example.net:4423") == 0, "back to the provisioned gateway");

    /* With retryAfterMs: go there, but later. */
    CHECK(peer_establish(p, HB), "established at gw-a");
    send_bye(p, "rebalance", "[2001:db8::1]:4423", 5000);
    uint32_t delay = peer_disconnect(p);
    CHECK(delay >= 5000 && delay <= 6000 && strcmp(wb_agent_endpoint(&p->agent), "[2001:db8::1]:4423") == 0,
          "redirect after retryAfterMs, got %u", (unsigned)delay);
    peer_free(p);

    /* A device that did not announce redirect ignores the endpoint. */
    p = established(NULL);
    send_bye(p, "rebalance", "gw-b.example.net:4423", 0);
    CHECK(!wb_agent_last_end(&p->agent)->redirected, "no redirect without the feature");
    delay = peer_disconnect(p);
    CHECK(delay >= 800 && strcmp(wb_agent_endpoint(&p->agent), "gw-a.example.net:4423") == 0, "usual backoff, same gateway");
    /* Bye shutdown with retryAfterMs: exactly that, plus jitter. */
    CHECK(peer_establish(p, HB), "established");
    send_bye(p, "shutdown", NULL, 10000);
    delay = peer_disconnect(p);
    CHECK(delay >= 10000 && delay <= 12000, "Bye retryAfterMs, got %u", (unsigned)delay);
    peer_free(p);
}

static void test_backoff(void)
{
    test_peer *p = peer_new(NULL);
    uint64_t base = WB_AGENT_BACKOFF_INITIAL_MS;
    for (int i = 0; i < 14; i++) {
        uint32_t delay = peer_disconnect(p); /* a failed connection attempt */
        CHECK(wb_agent_last_end(&p->agent)->kind == WB_AGENT_END_CONNECT_FAILED, "connect failure");
        CHECK(delay >= base * 8 / 10 && delay <= base * 12 / 10, "attempt %d: %u not within 20 %% of %u", i,
              (unsigned)delay, (unsigned)base);
        base = base * 2 > WB_AGENT_BACKOFF_MAX_MS ? WB_AGENT_BACKOFF_MAX_MS : base * 2;
    }
    /* A short session does not reset it... */
    p->now = 0;
    CHECK(peer_establish(p, HB), "established");
    p->now = 30000;
    uint32_t delay = peer_disconnect(p);
    CHECK(delay >= WB_AGENT_BACKOFF_MAX_MS * 8 / 10, "still at the maximum after 30 s, got %u", (unsigned)delay);
    /* ...one that lasted a minute does. */
    p->now = 100000;
    CHECK(peer_establish(p, HB), "established");
    for (uint64_t t = 100000 + HB; t <= 160000; t += HB) {
        peer_at(p, t);
        wb_message hb;
        if (peer_expect(p, WB_MSG_HEARTBEAT, &hb)) send_ack(p, &hb);
    }
    delay = peer_disconnect(p);
    CHECK(wb_agent_last_end(&p->agent)->kind == WB_AGENT_END_TRANSPORT, "transport lost");
    CHECK(delay >= 800 && delay <= 1200, "after a stable minute the backoff starts over, got %u", (unsigned)delay);
    peer_free(p);
}

/* ---- malformed input ---- */

static size_t raw_message(uint8_t *out, size_t cap, uint32_t version, uint32_t type, uint32_t msg_id, uint32_t corr)
{
    wb_cbor_writer w;
    wb_cbor_writer_init(&w, out + 4, cap - 4);
    wb_cbor_put_head(&w, WB_CBOR_ARRAY, 5);
    wb_cbor_put_uint(&w, version);
    wb_cbor_put_uint(&w, type);
    wb_cbor_put_uint(&w, msg_id);
    wb_cbor_put_uint(&w, corr);
    wb_cbor_put_head(&w, WB_CBOR_MAP, 0);
    out[0] = out[1] = 0;
    out[2] = (uint8_t)(w.len >> 8);
    out[3] = (uint8_t)w.len;
    return w.len + 4;
}

static void malformed(const char *what, const uint8_t *bytes, size_t len, const char *code)
{
    test_peer *p = established(NULL);
    peer_feed(p, bytes, len);
    wb_message m;
    if (peer_expect(p, WB_MSG_ERROR, &m)) {
        CHECK(slice_is(m.body.error.code, code) && m.body.error.fatal, "%s: fatal Error %s expected, got %.*s", what, code,
              (int)m.body.error.code.len, (const char *)m.body.error.code.ptr);
    }
    CHECK(peer_closing(p) && wb_agent_last_end(&p->agent)->kind == WB_AGENT_END_PROTOCOL_ERROR, "%s: closes", what);
    /* Whatever follows is ignored. */
    size_t used = 0;
    wb_agent_on_bytes(&p->agent, bytes, len, &used, p->now);
    CHECK(used == len && peer_quiet(p), "%s: nothing after the close", what);
    peer_free(p);
}

static void test_malformed_frames(void)
{
    uint8_t b[64];
    static const uint8_t zero[] = {0, 0, 0, 0};
    malformed("zero length", zero, sizeof zero, "malformed_frame");
    static const uint8_t huge[] = {0, 0, 0x10, 0x01}; /* 4097, over maxFrameBytes */
    malformed("too large", huge, sizeof huge, "frame_too_large");
    static const uint8_t not_cbor[] = {0, 0, 0, 1, 0xff};
    malformed("invalid CBOR", not_cbor, sizeof not_cbor, "invalid_cbor");
    malformed("HeartbeatAck without its fields", b, raw_message(b, sizeof b, 1, WB_MSG_HEARTBEAT_ACK, 2, 1), "invalid_message");
    malformed("version 2", b, raw_message(b, sizeof b, 2, WB_MSG_STOP, 2, 0), "unsupported_version");

    /* A replayed msgId. */
    test_peer *p = established(NULL);
    p->gw_msg_id = 0;
    send_stop(p, "x");
    expect_fatal_error(p, "replayed_message");
    peer_free(p);

    /* A device's message type from the gateway. */
    p = established(NULL);
    wb_message sr = msg(WB_MSG_STOP_RESULT, 0);
    sr.body.stop_result.app_id = WB_SLICE_LIT("x");
    sr.body.stop_result.ok = true;
    peer_send(p, &sr);
    expect_fatal_error(p, "unexpected_message");
    peer_free(p);

    /* A Hello from the gateway, with more apps than a device ever decodes. */
    p = established(NULL);
    static const uint8_t sha[32];
    wb_app_summary apps[8];
    for (unsigned i = 0; i < 8; i++) {
        apps[i] = (wb_app_summary){.app_id = WB_SLICE_LIT("a"), .sha256 = {sha, 32}, .revision = 1};
    }
    wb_message h = msg(WB_MSG_HELLO, 0);
    h.body.hello = (wb_hello){.apps = {apps, 8}, .arch = WB_SLICE_LIT("x"), .board = WB_SLICE_LIT("x"),
                              .firmware = WB_SLICE_LIT("x"), .max_frame_bytes = 4096,
                              .runtime = {.name = WB_SLICE_LIT("x"), .version = WB_SLICE_LIT("1")}};
    peer_send(p, &h);
    expect_fatal_error(p, "unexpected_message");
    peer_free(p);

    /* Phase rules. */
    p = peer_new(NULL);
    peer_connect(p);
    wb_message hello;
    peer_expect(p, WB_MSG_HELLO, &hello);
    send_stop(p, "x");
    expect_fatal_error(p, "unexpected_message");
    peer_free(p);

    p = peer_new(NULL);
    peer_connect(p);
    peer_expect(p, WB_MSG_HELLO, &hello);
    peer_feed(p, b, raw_message(b, sizeof b, 1, 99, 1, 0));
    expect_fatal_error(p, "unknown_type"); /* fatal before Established */
    peer_free(p);

    p = peer_new(NULL);
    peer_connect(p);
    peer_expect(p, WB_MSG_HELLO, &hello);
    peer_welcome(p, hello.msg_id + 1, HB);
    expect_fatal_error(p, "invalid_message"); /* must answer Hello */
    peer_free(p);

    p = established(NULL);
    peer_welcome(p, 1, HB);
    expect_fatal_error(p, "unexpected_message"); /* a second Welcome */
    peer_free(p);

    /* Unknown type once established: answered, not fatal, its msgId counts. */
    p = established(NULL);
    peer_feed(p, b, raw_message(b, sizeof b, 1, 99, 2, 0));
    wb_message m;
    if (peer_expect(p, WB_MSG_ERROR, &m)) {
        CHECK(slice_is(m.body.error.code, "unknown_type") && !m.body.error.fatal && m.correlation_id == 2,
              "unknown type: non-fatal Error answering it");
    }
    p->gw_msg_id = 2;
    send_stop(p, "x");
    CHECK(peer_expect(p, WB_MSG_STOP_RESULT, NULL) && !peer_closing(p), "the next msgId is 3");
    peer_free(p);

    /* The gateway's fatal Error: the device closes without a word. */
    p = established(NULL);
    wb_message e = msg(WB_MSG_ERROR, 0);
    e.body.error.code = WB_SLICE_LIT("timeout");
    e.body.error.fatal = true;
    peer_send(p, &e);
    CHECK(peer_closing(p) && wb_agent_last_end(&p->agent)->kind == WB_AGENT_END_PEER_ERROR && peer_quiet(p),
          "peer's fatal Error closes");
    peer_free(p);
}

static void test_unsupported_version_and_exhausted_ids(void)
{
    uint8_t b[64];
    test_peer *p = established(NULL);
    peer_feed(p, b, raw_message(b, sizeof b, 2, WB_MSG_STOP, 2, 0));
    wb_message m;
    if (peer_expect(p, WB_MSG_ERROR, &m)) {
        const uint32_t *versions = m.body.error.supported_versions.items;
        CHECK(m.body.error.has_supported_versions && m.body.error.supported_versions.count == 1 && versions[0] == 1,
              "unsupported_version names the versions the device speaks");
    }
    peer_free(p);

    /* The device's msgIds run out: it closes rather than wrap. */
    p = established(NULL);
    p->agent.last_sent = UINT32_MAX - 1;
    p->dev_msg_id = UINT32_MAX - 1;
    send_stop(p, "x");
    if (peer_expect(p, WB_MSG_STOP_RESULT, &m)) CHECK(m.msg_id == UINT32_MAX, "the last msgId is used");
    send_stop(p, "y");
    CHECK(peer_closing(p) && wb_agent_last_end(&p->agent)->kind == WB_AGENT_END_MSG_ID_EXHAUSTED && peer_quiet(p),
          "then the session ends");
    peer_free(p);
}

/* ---- back-pressure ---- */

static void test_backpressure(void)
{
    test_peer *p = established(NULL);
    /* 400 Stops in one buffer: far more answers than the output queue holds. */
    enum { N = 400 };
    static uint8_t stream[N * 24];
    size_t len = 0;
    for (unsigned i = 0; i < N; i++) {
        wb_message m = msg(WB_MSG_STOP, 0);
        m.version = 1;
        m.msg_id = 2 + i;
        m.body.stop.app_id = WB_SLICE_LIT("x");
        size_t n = 0;
        wb_message_encode_frame(&m, stream + len, sizeof stream - len, &n, NULL);
        len += n;
    }
    size_t used = 0;
    wb_agent_on_bytes(&p->agent, stream, len, &used, p->now);
    CHECK(used > 0 && used < len, "the agent stops taking frames when its output is full (%zu of %zu)", used, len);
    CHECK(wb_agent_output_pending(&p->agent) >= p->cfg.tx_cap - WB_AGENT_TX_BURST_BYTES - 64, "output queue filled");
    size_t off = used;
    unsigned results = 0;
    for (;;) {
        wb_message m;
        while (peer_next(p, &m)) {
            CHECK(m.type == WB_MSG_STOP_RESULT && m.correlation_id == 2 + results, "StopResult %u in order", results);
            results++;
        }
        if (off == len) break;
        wb_agent_on_bytes(&p->agent, stream + off, len - off, &used, p->now);
        CHECK(used > 0, "progress after draining");
        if (used == 0) break;
        off += used;
    }
    CHECK(results == N && !peer_closing(p), "all %d answered, got %u", N, results);
    peer_free(p);
}

/* ---- mutation loop ---- */

static uint32_t fuzz_rng = 0x12345678u;
static uint32_t fuzz_next(void)
{
    return peer_xorshift(&fuzz_rng);
}

/* Records a complete valid session from the gateway's side: the seed of the mutations. */
static size_t record_script(uint8_t *script, size_t cap)
{
    test_peer *p = peer_new(&(peer_options){.follow_redirects = true});
    p->record = script;
    p->record_cap = cap;
    p->now = T0;
    peer_establish(p, HB);
    peer_deploy(p, &fx_hello_r1, 0);
    peer_serve(p, &fx_hello_r1, 300, 10);
    peer_run_running(p, peer_live_run(p, "hello"));
    peer_discard(p);
    peer_at(p, T0 + HB);
    wb_message hb;
    if (peer_expect(p, WB_MSG_HEARTBEAT, &hb)) send_ack(p, &hb);
    peer_deploy(p, &fx_counter, 0);
    peer_serve(p, &fx_counter, 0, 10);
    uint8_t unknown[32];
    peer_feed(p, unknown, raw_message(unknown, sizeof unknown, 1, 77, ++p->gw_msg_id, 0));
    send_stop(p, "hello");
    send_bye(p, "rebalance", "gw-b.example.net:4423", 0);
    size_t len = p->record_len;
    CHECK(p->bad_device_frames == 0 && peer_closing(p), "the recorded script is a clean session");
    p->record = NULL;
    peer_free(p);
    return len;
}

static void mutate(uint8_t *buf, size_t *len, size_t cap)
{
    static const uint8_t interesting[] = {0x00, 0x01, 0x17, 0x18, 0x1f, 0x3f, 0x5f, 0x7f, 0x80, 0x9f, 0xa0,
                                          0xbf, 0xc0, 0xf4, 0xf5, 0xf6, 0xf7, 0xf9, 0xfb, 0xff};
    unsigned edits = 1 + fuzz_next() % 4;
    for (unsigned e = 0; e < edits && *len > 0; e++) {
        size_t at = fuzz_next() % *len;
        switch (fuzz_next() % 6) {
        case 0: buf[at] ^= (uint8_t)(1u << (fuzz_next() % 8)); break;
        case 1: buf[at] = interesting[fuzz_next() % sizeof interesting]; break;
        case 2: buf[at] = (uint8_t)fuzz_next(); break;
        case 3:
            if (*len < cap) {
                memmove(buf + at + 1, buf + at, *len - at);
                buf[at] = (uint8_t)fuzz_next();
                (*len)++;
            }
            break;
        case 4:
            memmove(buf + at, buf + at + 1, *len - at - 1);
            (*len)--;
            break;
        case 5: *len = at; break;
        }
    }
}

static void test_mutation_loop(void)
{
    static uint8_t script[32768];
    static uint8_t input[32768 + 64];
    size_t script_len = record_script(script, sizeof script);
    CHECK(script_len > 1000, "script recorded (%zu bytes)", script_len);
    const char *env = getenv("AGENT_FUZZ_ITERATIONS");
    /* Each iteration verifies Ed25519 signatures (slow under ASan): raise it for long runs. */
    unsigned iterations = env != NULL ? (unsigned)strtoul(env, NULL, 0) : 500u;
    const char *seed = getenv("AGENT_FUZZ_SEED");
    if (seed != NULL && strtoul(seed, NULL, 0) != 0) fuzz_rng = (uint32_t)strtoul(seed, NULL, 0);
    test_peer *p = peer_new(&(peer_options){.follow_redirects = true});
    unsigned closed = 0, started = 0, checks_before = check_failed;
    for (unsigned it = 0; it < iterations && check_failed == checks_before; it++) {
        peer_reboot(p);
        p->now = T0;
        p->split = 1 + fuzz_next() % 64;
        size_t len = script_len;
        memcpy(input, script, len);
        mutate(input, &len, sizeof input);
        peer_connect(p);
        size_t off = 0;
        while (off < len) {
            size_t piece = 1 + fuzz_next() % 512;
            if (piece > len - off) piece = len - off;
            peer_feed(p, input + off, piece);
            off += piece;
            /* The runtime and the clock move on between pieces. */
            peer_run *run = p->run_count > 0 ? peer_last_run(p) : NULL;
            if (run != NULL && !run->stopped && !run->ended) {
                switch (fuzz_next() % 8) {
                case 0: peer_run_running(p, run); break;
                case 1: peer_run_ended(p, run, (wb_agent_exit)(fuzz_next() % 9), "fuzz"); break;
                case 2: wb_agent_app_log(&p->agent, run->run_id, fuzz_next() % 5, input, fuzz_next() % 64, p->now); break;
                default: break;
                }
            }
            if (fuzz_next() % 4 == 0) peer_at(p, p->now + fuzz_next() % 5000);
            peer_discard(p);
        }
        closed += wb_agent_phase_of(&p->agent) == WB_AGENT_CLOSING;
        started += p->run_count;
        peer_disconnect(p);
    }
    CHECK(p->bad_device_frames == 0, "every device frame was valid");
    printf("agent mutation loop: %u iterations (AGENT_FUZZ_ITERATIONS, AGENT_FUZZ_SEED), %u ended in a close, %u runs "
           "started, all with verified modules\n",
           iterations, closed, started);
    peer_free(p);
}

int main(void)
{
    test_init_checks_the_configuration();
    test_hello();
    test_welcome();
    test_pending_then_welcome();
    test_pending_ends();
    test_enrollment_reply_timeout();
    test_rejected_revoked();
    test_heartbeats();
    test_heartbeat_ack_timeout();
    test_deploy_hello();
    test_chunked_transfers();
    test_resume_after_link_loss();
    test_transfer_timeout_and_gateway_error();
    test_tampered_and_wrong_hash();
    test_inconsistent_chunks();
    test_deploy_refusals();
    test_update_keeps_the_old_module();
    test_stop();
    test_restart_policy();
    test_events_while_enrolling();
    test_app_logs();
    test_bye_redirect();
    test_backoff();
    test_malformed_frames();
    test_unsupported_version_and_exhausted_ids();
    test_backpressure();
    test_mutation_loop();
    return check_report("agent_test");
}
