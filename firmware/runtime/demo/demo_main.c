/* The runtime demo image: boots the board and runs the example apps built into
 * it through the runtime, with their logs on the console, until the protocol
 * session feeds modules from the gateway. Each scenario shows one part of the
 * ABI: logging and sensors (hello), a clean exit (counter), a trap, the memory
 * limit (memory-hog), the CPU-time limit (busy-loop), the load checks, and
 * every MVP instruction (mvp-ops, whose log the tests compare with Node's). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "board.h"
#include "demo/demo_apps.h"
#include "host_functions.h"
#include "serial.h"
#include "wamr-platform/wb_platform.h"
#include "wasm_app.h"

typedef struct {
    const char *app;
    const char *label;
    uint32_t memory_limit_bytes;
    uint32_t cpu_time_limit_ms;
    const wb_text_pair *env;
    uint32_t env_count;
    uint32_t declared; /* host functions the "manifest" declares */
    uint32_t truncate_to; /* 0: the whole module */
} scenario;

#define SLICE(s) WB_SLICE_LIT(s)
static const wb_text_pair hello_env[] = {
    {SLICE("greeting"), SLICE("Hello from the MCU!")},
    {SLICE("iterations"), SLICE("3")},
};

static const scenario scenarios[] = {
    {"hello", "hello", 0, 1000, hello_env, 2, WB_HF_ALL, 0},
    {"counter", "counter", 0, 1000, NULL, 0, WB_HF_ALL, 0},
    {"trap", "trap", 0, 1000, NULL, 0, WB_HF_ALL, 0},
    {"memory-hog", "memory-hog", 2 * WB_WASM_PAGE_BYTES, 1000, NULL, 0, WB_HF_ALL, 0},
    {"busy-loop", "busy-loop", 0, 200, NULL, 0, WB_HF_ALL, 0},
    {"hello", "hello-undeclared-sensor", 0, 1000, hello_env, 2, WB_HF_ALL & ~(1u << WB_HF_SENSOR_READ), 0},
    {"hello", "hello-truncated", 0, 1000, hello_env, 2, WB_HF_ALL, 100},
    {"mvp-ops", "mvp-ops", 0, 20000, NULL, 0, WB_HF_ALL, 0},
};

static const char *current_label;

static void on_log(void *ctx, const wb_app_log_record *record)
{
    (void)ctx;
    static const char *const levels[] = {"debug", "info", "warn", "error"};
    printf("[%s +%" PRIu32 "ms] %s: %.*s%s\n", current_label, (uint32_t)record->at_ms, levels[record->level],
           (int)record->len, record->text, record->truncated ? " (truncated)" : "");
}

static uint32_t random_state = 0x9e3779b9u;

static uint32_t on_random(void *ctx)
{
    (void)ctx;
    random_state ^= random_state << 13;
    random_state ^= random_state >> 17;
    random_state ^= random_state << 5;
    return random_state;
}

static const wb_demo_app *find_app(const char *name)
{
    for (unsigned i = 0; i < wb_demo_app_count; i++) {
        if (strcmp(wb_demo_apps[i].name, name) == 0) return &wb_demo_apps[i];
    }
    return NULL;
}

static void run_scenario(const scenario *s, const wb_app_host *host)
{
    const wb_demo_app *app = find_app(s->app);
    if (app == NULL) {
        printf("app %s: not in this image\n", s->label);
        return;
    }
    wb_slice declared[WB_HF_COUNT];
    uint32_t n = 0;
    for (int f = 0; f < WB_HF_COUNT; f++) {
        const char *q = wb_host_functions[f].qualified;
        if (s->declared & (1u << f)) declared[n++] = (wb_slice){(const uint8_t *)q, (uint32_t)strlen(q)};
    }
    wb_app_spec spec = {
        .entry_point = SLICE("run"),
        .memory_limit_bytes = s->memory_limit_bytes,
        .cpu_time_limit_ms = s->cpu_time_limit_ms,
        .env = {s->env, s->env_count},
        .host_functions = {declared, n},
    };
    /* WAMR rewrites the code it loads: run a RAM copy of the image's module. */
    uint32_t len = s->truncate_to != 0 && s->truncate_to < app->len ? s->truncate_to : app->len;
    uint8_t *module = malloc(len);
    if (module == NULL) {
        printf("app %s: no RAM for a %" PRIu32 "-byte module\n", s->label, len);
        return;
    }
    memcpy(module, app->bytes, len);
    current_label = s->label;
    printf("app %s: starting (%" PRIu32 " bytes, memory limit %" PRIu32 " B, cpu limit %" PRIu32 " ms)\n", s->label,
           len, s->memory_limit_bytes, s->cpu_time_limit_ms);
    wb_app_outcome outcome;
    wb_platform_heap_peak = wb_platform_heap_in_use;
    wb_app_run(&spec, module, len, host, &outcome);
    free(module);
    printf("app %s: %s (%s)%s%s; cpu %" PRIu32 " ms, run %" PRIu32 " ms, memory %" PRIu32 " pages\n", s->label,
           wb_app_failed(outcome.reason) ? "failed" : "stopped", wb_app_reason_text(outcome.reason),
           outcome.message[0] ? ": " : "", outcome.message, outcome.cpu_ms, (uint32_t)outcome.run_ms,
           outcome.memory_pages);
    printf("app %s: WAMR heap peak %" PRIu32 " bytes (linear memory included), module copy %" PRIu32 " bytes\n",
           s->label, wb_platform_heap_peak, len);
}

int main(void)
{
    board_init();
    const board_info *b = board_get_info();
    printf("\nwasmbed runtime demo board=%s cpu=%s runtime=%s %s\n", b->name, b->cpu, WB_RUNTIME_NAME,
           WB_RUNTIME_VERSION);
    if (!wb_runtime_init()) {
        printf("runtime: WAMR did not start\n");
        wb_serial_flush();
        board_halt();
    }
    random_state ^= (uint32_t)board_millis();
    wb_app_host host = {.log = on_log, .random_u32 = on_random};
    char offered[128];
    wb_host_function_list(wb_runtime_offered(&host), offered, sizeof offered);
    printf("runtime: host functions %s\n", offered);
    for (unsigned i = 0; i < sizeof scenarios / sizeof scenarios[0]; i++) run_scenario(&scenarios[i], &host);
    printf("demo done in %" PRIu32 " ms\n", (uint32_t)board_millis());
    wb_serial_flush();
    for (;;) board_wait_for_interrupt();
}
