/* The agent's runtime hooks on WAMR. The agent calls `start` in the middle of
 * a message, so a run is only queued there; device_agent_run_pending runs it
 * from the main loop on a RAM copy of the verified module (WAMR's loader
 * rewrites its input, and the slot must stay pristine for restarts). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "board.h"
#include "device.h"
#include "device_agent.h"
#include "entropy.h"
#include "gateway_link.h"
#include "host_functions.h"
#include "version.h"
#include "wasm_app.h"

static wb_agent agent;
static uint8_t rx_buf[WB_MIN_DEVICE_FRAME_BYTES];
static uint8_t tx_buf[6144];
static uint8_t trusted[WB_PROV_MAX_PUBLISHERS][32];
static const char *offered[WB_HF_COUNT];

/* The run the agent asked for, until the main loop starts it. */
static struct {
    bool queued;
    uint32_t run_id;
    char app_id[WB_MAX_ID_BYTES + 1];
    const uint8_t *module;
    uint32_t module_len;
    const uint8_t *manifest;
    uint32_t manifest_len;
} pending;

/* The run in progress (0: none). */
static uint32_t current_run;
static char current_app[WB_MAX_ID_BYTES + 1];

static uint32_t random_u32(void *ctx)
{
    (void)ctx;
    uint32_t r = 0;
    (void)wb_tls_generate_seed((unsigned char *)&r, sizeof r);
    return r;
}

static bool start_run(void *ctx, const wb_agent_run *run, wb_agent_error *error)
{
    (void)ctx;
    /* One queued run at most (max_instances 1); a run in progress may be the
     * one this replaces, already asked to stop. */
    if (pending.queued) {
        snprintf(error->code, sizeof error->code, "limit_exceeded");
        snprintf(error->message, sizeof error->message, "the device runs one app at a time");
        return false;
    }
    pending.queued = true;
    pending.run_id = run->run_id;
    snprintf(pending.app_id, sizeof pending.app_id, "%.*s", (int)run->app_id.len, (const char *)run->app_id.ptr);
    pending.module = run->module;
    pending.module_len = run->module_len;
    pending.manifest = run->manifest;
    pending.manifest_len = run->manifest_len;
    return true;
}

static void stop_run(void *ctx, uint32_t run_id)
{
    (void)ctx;
    if (pending.queued && pending.run_id == run_id) pending.queued = false;
    if (current_run == run_id) wb_app_request_stop();
}

/* ---- the runtime's host side ------------------------------------------------ */

static const char *const level_names[] = {"debug", "info", "warn", "error"};

static void on_log(void *ctx, const wb_app_log_record *record)
{
    (void)ctx;
    printf("[%s +%" PRIu32 "ms] %s: %.*s\n", current_app, (uint32_t)record->at_ms, level_names[record->level & 3u],
           (int)record->len, record->text);
    wb_agent_app_log(&agent, current_run, (unsigned)record->level, (const uint8_t *)record->text, record->len,
                     board_millis());
    /* A host call is a point where the device may serve its session. */
    device_service();
}

static uint32_t on_random(void *ctx)
{
    return random_u32(ctx);
}

static void on_idle(void *ctx, uint64_t until_ms)
{
    (void)ctx;
    device_service();
    if (board_millis() < until_ms) board_wait_for_interrupt();
}

static void on_entered(void *ctx)
{
    (void)ctx;
    wb_agent_app_running(&agent, current_run, board_millis());
    device_service();
}

static const wb_app_host host = {
    .log = on_log, .random_u32 = on_random, .idle = on_idle, .entered = on_entered};

void device_service(void)
{
    device_shell_poll();
    gateway_link_poll();
}

void device_agent_run_pending(void)
{
    if (!pending.queued) return;
    pending.queued = false;
    current_run = pending.run_id;
    memcpy(current_app, pending.app_id, sizeof current_app);

    /* The spec's lists point into this arena, as the agent's own decode does. */
    static uint8_t arena_mem[sizeof agent.manifest_arena] __attribute__((aligned(8)));
    wb_arena arena;
    wb_arena_init(&arena, arena_mem, sizeof arena_mem);
    wb_manifest manifest;
    wb_app_outcome outcome = {0};
    uint8_t *copy = malloc(pending.module_len);
    if (copy == NULL) {
        outcome.reason = WB_APP_NO_MEMORY;
        snprintf(outcome.message, sizeof outcome.message, "no RAM for a %" PRIu32 "-byte module copy", pending.module_len);
    } else if (wb_manifest_decode(pending.manifest, pending.manifest_len, &manifest, &arena, NULL) != WB_OK) {
        outcome.reason = WB_APP_INVALID_MODULE; /* the agent decoded it before: cannot happen */
        snprintf(outcome.message, sizeof outcome.message, "manifest no longer decodes");
    } else {
        memcpy(copy, pending.module, pending.module_len);
        wb_app_spec spec;
        wb_app_spec_from_manifest(&spec, &manifest);
        printf("app: starting %s run %" PRIu32 " (%" PRIu32 " bytes) at %" PRIu32 " ms\n", current_app, current_run,
               pending.module_len, (uint32_t)board_millis());
        wb_app_run(&spec, copy, pending.module_len, &host, &outcome);
    }
    free(copy);
    printf("app: ended %s run %" PRIu32 ": %s%s%s (cpu %" PRIu32 " ms)\n", current_app, current_run,
           wb_app_reason_text(outcome.reason), outcome.message[0] != '\0' ? ": " : "", outcome.message, outcome.cpu_ms);
    /* wb_app_reason and wb_agent_exit list the outcomes in the same order. */
    uint32_t run = current_run;
    current_run = 0;
    wb_agent_app_ended(&agent, run, (wb_agent_exit)outcome.reason, outcome.message, board_millis());
}

_Static_assert((int)WB_AGENT_EXIT_NO_MEMORY == (int)WB_APP_NO_MEMORY, "wb_agent_exit follows wb_app_reason");
_Static_assert((int)WB_AGENT_EXIT_TRAP == (int)WB_APP_TRAP, "wb_agent_exit follows wb_app_reason");

wb_agent *device_agent_create(const wb_provisioning *p)
{
    if (!wb_runtime_init()) {
        printf("agent: disabled: the WebAssembly runtime could not start\n");
        return NULL;
    }
    uint32_t mask = wb_runtime_offered(&host), count = 0;
    for (unsigned i = 0; i < WB_HF_COUNT; i++) {
        if (mask & (1u << i)) offered[count++] = wb_host_functions[i].qualified;
    }
    memcpy(trusted, p->publishers, sizeof trusted);
    const board_info *b = board_get_info();
    wb_agent_config c = {
        .firmware = WB_FIRMWARE_NAME " " WB_FIRMWARE_VERSION,
        .board = b->name,
        .arch = b->arch,
        .runtime_name = WB_RUNTIME_NAME,
        .runtime_version = WB_RUNTIME_VERSION,
        .ram_bytes = b->ram_bytes,
        .app_ram_bytes = DEVICE_APP_RAM_BYTES,
        .max_instances = 1,
        .host_functions = offered,
        .host_function_count = count,
        .trusted_keys = (const uint8_t(*)[32])trusted,
        .trusted_key_count = p->publisher_count,
        .follow_redirects = true,
        .endpoint = p->endpoint,
        .rx_buf = rx_buf,
        .rx_cap = sizeof rx_buf,
        .tx_buf = tx_buf,
        .tx_cap = sizeof tx_buf,
        .slot_count = DEVICE_SLOTS,
        .hooks = {.start = start_run, .stop = stop_run, .random_u32 = random_u32},
    };
    /* Slots live on the heap: a board with flash would map them there (store_write). */
    for (unsigned i = 0; i < DEVICE_SLOTS; i++) {
        c.slots[i].size = WB_AGENT_SLOT_MANIFEST_BYTES + DEVICE_MODULE_BYTES;
        c.slots[i].base = malloc(c.slots[i].size);
        if (c.slots[i].base == NULL) {
            printf("agent: disabled: no RAM for module slots\n");
            return NULL;
        }
    }
    if (wb_agent_init(&agent, &c) != WB_OK) {
        printf("agent: disabled: %s (output queue needs %" PRIu32 " bytes)\n", wb_agent_problem(&agent),
               wb_agent_tx_needed(&agent));
        return NULL;
    }
    printf("agent: %u module slots of %u bytes, %u trusted publisher(s)%s\n", DEVICE_SLOTS, DEVICE_MODULE_BYTES,
           p->publisher_count, p->publisher_count == 0 ? " (any: the gateway verifies signatures)" : "");
    return &agent;
}
