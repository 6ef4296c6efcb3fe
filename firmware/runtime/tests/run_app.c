/* Runs one app on the host build of the runtime and prints what happened as
 * JSON lines, for the jest test that compares the firmware's runtime with the
 * reference host of @wasmbed/example-apps:
 *
 *   {"log":{"level":"info","message":"...","truncated":false,"atMs":0}}
 *   {"outcome":{"state":"failed","reason":"trap","message":"..."},"memoryPages":1,"cpuMs":0,"runMs":3}
 *
 * run_app [--entry run] [--memory-limit BYTES] [--cpu-limit MS] [--env KEY=VALUE]...
 *         [--host-functions wasmbed.a,wasmbed.b] [--no-random] [--random-seed N]
 *         [--stop-at-ms MS] [--virtual-clock] app.wasm
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "board.h"
#include "host_board.h"
#include "host_functions.h"
#include "test_host.h"
#include "wasm_app.h"

#define MAX_ENV 32

typedef struct {
    uint32_t random_state;
    test_sleeper sleeper;
} tool_ctx;

static void print_json_string(const char *s, size_t len)
{
    putchar('"');
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\') {
            printf("\\%c", c);
        } else if (c < 0x20 || c == 0x7f) {
            printf("\\u%04x", c);
        } else {
            putchar(c);
        }
    }
    putchar('"');
}

static void on_log(void *ctx, const wb_app_log_record *record)
{
    (void)ctx;
    static const char *const levels[] = {"debug", "info", "warn", "error"};
    printf("{\"log\":{\"level\":\"%s\",\"message\":", levels[record->level]);
    print_json_string(record->text, record->len);
    printf(",\"truncated\":%s,\"atMs\":%" PRIu64 "}}\n", record->truncated ? "true" : "false", record->at_ms);
}

static uint32_t on_random(void *ctx)
{
    return test_xorshift32(&((tool_ctx *)ctx)->random_state);
}

/* Sleeps take no time; a stop requested at --stop-at-ms arrives in the sleep
 * that reaches it, as in the reference host. */
static void on_idle(void *ctx, uint64_t until_ms)
{
    test_idle(&((tool_ctx *)ctx)->sleeper, until_ms);
}

static wb_slice slice(const char *s, size_t len)
{
    return (wb_slice){(const uint8_t *)s, (uint32_t)len};
}

static void usage(void)
{
    fprintf(stderr, "usage: run_app [--entry NAME] [--memory-limit BYTES] [--cpu-limit MS] [--env KEY=VALUE]...\n"
                    "               [--host-functions a,b] [--no-random] [--random-seed N] [--stop-at-ms MS]\n"
                    "               [--virtual-clock] app.wasm\n");
    exit(2);
}

int main(int argc, char **argv)
{
    static wb_text_pair env[MAX_ENV];
    static wb_slice declared[WB_HF_COUNT * 2];
    wb_app_spec spec = {.entry_point = slice("run", 3), .cpu_time_limit_ms = 1000};
    tool_ctx ctx = {.random_state = TEST_RANDOM_SEED};
    wb_app_host host = {.ctx = &ctx, .log = on_log, .random_u32 = on_random, .idle = on_idle};
    host_clock_mode mode = HOST_CLOCK_SKIP_SLEEPS;
    const char *path = NULL;
    bool declared_given = false;

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--virtual-clock") == 0) {
            mode = HOST_CLOCK_VIRTUAL;
        } else if (strcmp(a, "--no-random") == 0) {
            host.random_u32 = NULL;
        } else if (v == NULL && a[0] == '-') {
            usage();
        } else if (strcmp(a, "--entry") == 0) {
            spec.entry_point = slice(v, strlen(v));
            i++;
        } else if (strcmp(a, "--memory-limit") == 0) {
            spec.memory_limit_bytes = (uint32_t)strtoul(v, NULL, 0);
            i++;
        } else if (strcmp(a, "--cpu-limit") == 0) {
            spec.cpu_time_limit_ms = (uint32_t)strtoul(v, NULL, 0);
            i++;
        } else if (strcmp(a, "--random-seed") == 0) {
            ctx.random_state = (uint32_t)strtoul(v, NULL, 0);
            if (ctx.random_state == 0) ctx.random_state = TEST_RANDOM_SEED;
            i++;
        } else if (strcmp(a, "--stop-at-ms") == 0) {
            ctx.sleeper.stop_at_ms = strtoull(v, NULL, 0);
            i++;
        } else if (strcmp(a, "--env") == 0) {
            const char *eq = strchr(v, '=');
            if (eq == NULL || spec.env.count == MAX_ENV) usage();
            env[spec.env.count++] = (wb_text_pair){slice(v, (size_t)(eq - v)), slice(eq + 1, strlen(eq + 1))};
            i++;
        } else if (strcmp(a, "--host-functions") == 0) {
            declared_given = true;
            for (const char *p = v; *p != '\0' && spec.host_functions.count < WB_HF_COUNT * 2;) {
                size_t n = strcspn(p, ",");
                if (n > 0) declared[spec.host_functions.count++] = slice(p, n);
                p += n + (p[n] == ',');
            }
            i++;
        } else if (a[0] != '-' && path == NULL) {
            path = a;
        } else {
            usage();
        }
    }
    if (path == NULL) usage();
    if (!declared_given) {
        for (int f = 0; f < WB_HF_COUNT; f++) {
            const char *q = wb_host_functions[f].qualified;
            declared[spec.host_functions.count++] = slice(q, strlen(q));
        }
    }
    spec.env.items = env;
    spec.host_functions.items = declared;

    uint32_t len;
    uint8_t *module = test_read_file(path, &len);
    host_board_start(mode);
    if (!wb_runtime_init()) {
        fprintf(stderr, "run_app: WAMR did not start\n");
        return 2;
    }
    wb_app_outcome outcome;
    ctx.sleeper.start_ms = board_millis();
    wb_app_run(&spec, module, len, &host, &outcome);
    printf("{\"outcome\":{\"state\":\"%s\",\"reason\":\"%s\"", wb_app_failed(outcome.reason) ? "failed" : "stopped",
           wb_app_reason_text(outcome.reason));
    if (wb_app_failed(outcome.reason)) {
        printf(",\"message\":");
        print_json_string(outcome.message, strlen(outcome.message));
    }
    printf("},\"memoryPages\":%" PRIu32 ",\"cpuMs\":%" PRIu32 ",\"runMs\":%" PRIu64 "}\n", outcome.memory_pages,
           outcome.cpu_ms, outcome.run_ms);
    free(module);
    return 0;
}
