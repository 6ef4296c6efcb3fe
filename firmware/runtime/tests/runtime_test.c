/* Host tests of the WebAssembly runtime (ASan/UBSan): UTF-8 handling of log
 * messages, the sensor model, host-function sets, every load check in the
 * ABI's order, the example apps (logs, traps, memory and CPU-time limits),
 * the host functions' edge cases and traps, and stop requests.
 *
 *   runtime_test <dir of the test modules> <dir of the example apps>
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "board.h"
#include "check.h"
#include "host_board.h"
#include "host_functions.h"
#include "sensor_model.h"
#include "test_host.h"
#include "utf8.h"
#include "wasm_app.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const char *wat_dir, *apps_dir;

/* ---- running modules -------------------------------------------------------- */

typedef struct {
    char text[8192]; /* "level|message|T\n" per record (T: truncated) */
    size_t len;
    unsigned records;
    uint64_t last_at_ms;
} captured;

typedef struct {
    const char *entry;          /* default "run" */
    const wb_text_pair *env;
    uint32_t env_count;
    uint32_t memory_limit_bytes;
    uint32_t cpu_time_limit_ms; /* default 1000; UINT32_MAX: none */
    uint32_t declared;          /* default all */
    bool no_random;
    uint64_t stop_in_sleep_at_ms; /* 0: never */
} run_options;

typedef struct {
    captured *logs;
    uint32_t random_state;
    test_sleeper sleeper;
} host_ctx;

static void on_log(void *ctx, const wb_app_log_record *record)
{
    host_ctx *h = ctx;
    static const char *const levels[] = {"debug", "info", "warn", "error"};
    captured *c = h->logs;
    int n = snprintf(c->text + c->len, sizeof c->text - c->len, "%s|%.*s|%s\n", levels[record->level],
                     (int)record->len, record->text, record->truncated ? "T" : "");
    if (n > 0 && (size_t)n < sizeof c->text - c->len) c->len += (size_t)n;
    c->records++;
    c->last_at_ms = record->at_ms;
}

static uint32_t on_random(void *ctx)
{
    return test_xorshift32(&((host_ctx *)ctx)->random_state);
}

static void on_idle(void *ctx, uint64_t until_ms)
{
    test_idle(&((host_ctx *)ctx)->sleeper, until_ms);
}

static void run_bytes(uint8_t *module, uint32_t len, const run_options *o, wb_app_outcome *out, captured *logs)
{
    static wb_slice declared[WB_HF_COUNT];
    uint32_t n = 0, mask = o->declared != 0 ? o->declared : WB_HF_ALL;
    for (int f = 0; f < WB_HF_COUNT; f++) {
        const char *q = wb_host_functions[f].qualified;
        if (mask & (1u << f)) declared[n++] = (wb_slice){(const uint8_t *)q, (uint32_t)strlen(q)};
    }
    const char *entry = o->entry != NULL ? o->entry : "run";
    wb_app_spec spec = {
        .entry_point = {(const uint8_t *)entry, (uint32_t)strlen(entry)},
        .memory_limit_bytes = o->memory_limit_bytes,
        .cpu_time_limit_ms = o->cpu_time_limit_ms == UINT32_MAX ? 0 : o->cpu_time_limit_ms != 0 ? o->cpu_time_limit_ms
                                                                                                 : 1000,
        .env = {o->env, o->env_count},
        .host_functions = {declared, n},
    };
    memset(logs, 0, sizeof *logs);
    host_ctx ctx = {.logs = logs, .random_state = TEST_RANDOM_SEED,
                    .sleeper = {.start_ms = board_millis(), .stop_at_ms = o->stop_in_sleep_at_ms}};
    wb_app_host host = {.ctx = &ctx, .log = on_log, .random_u32 = o->no_random ? NULL : on_random, .idle = on_idle};
    wb_app_run(&spec, module, len, &host, out);
}

static void run_module(const char *dir, const char *name, const run_options *o, wb_app_outcome *out, captured *logs)
{
    uint32_t len;
    uint8_t *module = test_read_module(dir, name, &len);
    run_bytes(module, len, o, out, logs);
    free(module);
}

#define CHECK_OUTCOME(out, want_reason, want_message)                                                          \
    CHECK((out).reason == (want_reason) && strcmp((out).message, (want_message)) == 0, "%s: got %s \"%s\"", \
          #out, wb_app_reason_text((out).reason), (out).message)

/* ---- units ------------------------------------------------------------------ */

static void check_sanitized(const char *in, size_t len, const char *want, const char *why)
{
    char out[64];
    size_t n = wb_utf8_sanitize((const uint8_t *)in, len, out);
    CHECK(n == strlen(want) && memcmp(out, want, n) == 0, "utf8 %s: got \"%.*s\"", why, (int)n, out);
}

static void test_utf8(void)
{
    check_sanitized("m\xc2\xb0" "C", 4, "m\xc2\xb0" "C", "valid two-byte sequence");
    check_sanitized("\xf0\x9f\x98\x80", 4, "\xf0\x9f\x98\x80", "valid four-byte sequence");
    check_sanitized("a\xff" "b", 3, "a\xef\xbf\xbd" "b", "invalid byte");
    check_sanitized("a\xe2\x82", 3, "a\xef\xbf\xbd", "sequence cut at the end: one U+FFFD");
    check_sanitized("\xe2\x82" "a", 3, "\xef\xbf\xbd" "a", "cut sequence before ASCII: one U+FFFD, byte kept");
    check_sanitized("\xed\xa0\x80", 3, "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd", "surrogate: maximal subparts");
    check_sanitized("\xc0\x80", 2, "\xef\xbf\xbd\xef\xbf\xbd", "overlong");
    check_sanitized("\xef\xbb\xbfx", 4, "\xef\xbb\xbfx", "byte-order mark kept");

    /* 1023 ASCII bytes then a two-byte sequence: the 1024-byte cut splits it. */
    static uint8_t long_msg[2000];
    static char out[3 * WB_APP_LOG_MAX_BYTES];
    memset(long_msg, 'x', sizeof long_msg);
    long_msg[1023] = 0xc3;
    long_msg[1024] = 0xa9;
    bool truncated;
    size_t n = wb_utf8_log_text(long_msg, sizeof long_msg, WB_APP_LOG_MAX_BYTES, out, &truncated);
    CHECK(truncated && n == 1023, "cut sequence dropped: n=%zu", n);
    n = wb_utf8_log_text(long_msg, 1025, WB_APP_LOG_MAX_BYTES, out, &truncated);
    CHECK(truncated && n == 1023, "1025 bytes: truncated to 1023, n=%zu", n);
    memset(long_msg, 'y', 1024);
    n = wb_utf8_log_text(long_msg, 1024, WB_APP_LOG_MAX_BYTES, out, &truncated);
    CHECK(!truncated && n == 1024, "exactly 1024 bytes kept whole");
    memset(long_msg, 0xff, 1024);
    n = wb_utf8_log_text(long_msg, 1024, WB_APP_LOG_MAX_BYTES, out, &truncated);
    CHECK(n == 3 * 1024, "worst case expansion fits the buffer: n=%zu", n);
}

static void test_sensor_model(void)
{
    static const struct {
        int32_t channel;
        uint64_t t;
        int32_t want;
    } cases[] = {
        {0, 0, 19000},       {0, 7, 19001},       {0, 1000, 19200}, {0, 30000, 25000},
        {0, 60000, 19000},   {0, 45000, 22000},   {1, 0, 40000},    {1, 45000, 50000},
        {2, 0, 100000},      {2, 60000, 500000},  {0, 7250, 20450}, {3, 0, WB_SENSOR_UNAVAILABLE},
        {-1, 0, WB_SENSOR_UNAVAILABLE},
    };
    for (size_t i = 0; i < COUNT(cases); i++) {
        int32_t got = wb_sensor_simulated(cases[i].channel, cases[i].t);
        CHECK(got == cases[i].want, "sensor %" PRId32 " at %" PRIu64 ": %" PRId32 " != %" PRId32, cases[i].channel,
              cases[i].t, got, cases[i].want);
    }
}

static void test_host_functions(void)
{
    CHECK(wb_host_function_find((const uint8_t *)"log", 3) == WB_HF_LOG, "find log");
    CHECK(wb_host_function_find((const uint8_t *)"logx", 4) < 0, "unknown name");
    wb_slice names[] = {WB_SLICE_LIT("wasmbed.log"), WB_SLICE_LIT("wasmbed.sleep_ms"), WB_SLICE_LIT("wasmbed.gpio")};
    const wb_slice *unknown;
    wb_list list = {names, 2};
    CHECK(wb_host_function_mask(&list, &unknown) == ((1u << WB_HF_LOG) | (1u << WB_HF_SLEEP_MS)) && unknown == NULL,
          "mask of two names");
    list.count = 3;
    wb_host_function_mask(&list, &unknown);
    CHECK(unknown == &names[2], "unknown name reported");

    char message[WB_APP_MESSAGE_MAX];
    wb_app_host with_random = {.random_u32 = on_random}, without = {0};
    wb_slice random_name[] = {WB_SLICE_LIT("wasmbed.random_u32"), WB_SLICE_LIT("wasmbed.sensor_read")};
    list = (wb_list){random_name, 2};
    CHECK(wb_app_check_host_functions(&list, &with_random, message, sizeof message) == WB_APP_EXITED,
          "offered when the device has a random source");
    CHECK(wb_app_check_host_functions(&list, &without, message, sizeof message) == WB_APP_MISSING_HOST_FUNCTION &&
              strcmp(message, "host does not offer wasmbed.random_u32") == 0,
          "random_u32 not offered without a source: %s", message);
    list = (wb_list){names, 3};
    CHECK(wb_app_check_host_functions(&list, &with_random, message, sizeof message) == WB_APP_MISSING_HOST_FUNCTION &&
              strcmp(message, "host does not offer wasmbed.gpio") == 0,
          "a function outside the ABI is not offered: %s", message);
    char all[160] = "";
    wb_host_function_list(WB_HF_ALL, all, sizeof all);
    CHECK(strcmp(all, "wasmbed.config_get, wasmbed.log, wasmbed.now_ms, wasmbed.random_u32, wasmbed.sensor_read, "
                      "wasmbed.sleep_ms") == 0,
          "all host functions, sorted: %s", all);
}

/* ---- load checks, in the ABI's order ------------------------------------------ */

static void test_load_checks(void)
{
    static const struct {
        const char *module;
        const char *entry;
        bool no_random;
        uint32_t declared;
        wb_app_reason reason;
        const char *message;
    } cases[] = {
        {"post-mvp-sign-ext", NULL, false, 0, WB_APP_INVALID_MODULE,
         "uses features beyond WebAssembly MVP: sign-extension"},
        {"post-mvp-bulk", NULL, false, 0, WB_APP_INVALID_MODULE,
         "uses features beyond WebAssembly MVP: bulk-memory, saturating-float-to-int"},
        {"start", NULL, false, 0, WB_APP_INVALID_MODULE, "module has a start function"},
        {"import-env", NULL, false, 0, WB_APP_INVALID_MODULE,
         "import \"env.print\": not a host function of the Wasmbed ABI"},
        {"import-memory", NULL, false, 0, WB_APP_INVALID_MODULE,
         "import \"wasmbed.memory\": only functions may be imported, not a memory"},
        {"bad-signature", NULL, false, 0, WB_APP_INVALID_MODULE,
         "import \"wasmbed.log\": signature (i32) -> () differs from (i32, i32, i32) -> ()"},
        {"abi-edges", NULL, true, 0, WB_APP_MISSING_HOST_FUNCTION, "host does not offer wasmbed.random_u32"},
        {"abi-edges", NULL, false, WB_HF_ALL & ~((1u << WB_HF_NOW_MS) | (1u << WB_HF_LOG)),
         WB_APP_MISSING_HOST_FUNCTION, "host does not offer wasmbed.log, wasmbed.now_ms"},
        {"no-memory-export", NULL, false, 0, WB_APP_INVALID_MODULE,
         "module must define its one memory and export it as \"memory\""},
        {"entry-type", NULL, false, 0, WB_APP_INVALID_MODULE,
         "entry point \"run\" must be an exported function () -> ()"},
        {"abi-edges", "main", false, 0, WB_APP_INVALID_MODULE,
         "entry point \"main\" must be an exported function () -> ()"},
        {"abi-edges", "memory", false, 0, WB_APP_INVALID_MODULE,
         "entry point \"memory\" must be an exported function () -> ()"},
        {"big-memory", NULL, false, 0, WB_APP_MEMORY_LIMIT, "module needs 20 pages of memory initially, the limit is 16"},
    };
    for (size_t i = 0; i < COUNT(cases); i++) {
        wb_app_outcome out;
        captured logs;
        run_options o = {.entry = cases[i].entry, .no_random = cases[i].no_random, .declared = cases[i].declared};
        run_module(wat_dir, cases[i].module, &o, &out, &logs);
        CHECK(out.reason == cases[i].reason && strcmp(out.message, cases[i].message) == 0,
              "%s: got %s \"%s\"", cases[i].module, wb_app_reason_text(out.reason), out.message);
        CHECK(logs.records == 0 && out.memory_pages == 0, "%s: refused before instantiation", cases[i].module);
    }

    /* Check 1 comes first: a module that is not valid is invalid whatever else. */
    uint32_t len;
    uint8_t *module = test_read_module(apps_dir, "hello", &len);
    wb_app_outcome out;
    captured logs;
    run_bytes(module, len - 1, &(run_options){0}, &out, &logs);
    CHECK(out.reason == WB_APP_INVALID_MODULE && strncmp(out.message, "not a valid WebAssembly module", 30) == 0,
          "truncated hello: %s \"%s\"", wb_app_reason_text(out.reason), out.message);
    module[0] = 'X';
    run_bytes(module, len, &(run_options){0}, &out, &logs);
    CHECK(out.reason == WB_APP_INVALID_MODULE, "bad magic: %s \"%s\"", wb_app_reason_text(out.reason), out.message);
    run_bytes(module, 7, &(run_options){0}, &out, &logs);
    CHECK(out.reason == WB_APP_INVALID_MODULE, "7 bytes: %s", out.message);
    run_bytes(module, 0, &(run_options){0}, &out, &logs);
    CHECK(out.reason == WB_APP_INVALID_MODULE, "0 bytes: %s", out.message);
    free(module);

    run_module(wat_dir, "segment-oob", &(run_options){0}, &out, &logs);
    CHECK(out.reason == WB_APP_TRAP, "segment out of bounds traps at instantiation: %s \"%s\"",
          wb_app_reason_text(out.reason), out.message);
}

/* ---- the example apps -------------------------------------------------------- */

static void test_example_apps(void)
{
    wb_app_outcome out;
    captured logs;
    host_board_set_clock(HOST_CLOCK_VIRTUAL);
    static const wb_text_pair hello_env[] = {{WB_SLICE_LIT("greeting"), WB_SLICE_LIT("Gr\xc3\xbc" "ezi")},
                                             {WB_SLICE_LIT("iterations"), WB_SLICE_LIT("2")}};
    run_module(apps_dir, "hello", &(run_options){.env = hello_env, .env_count = 2}, &out, &logs);
    CHECK_OUTCOME(out, WB_APP_EXITED, "");
    CHECK(strcmp(logs.text, "info|Gr\xc3\xbc" "ezi|\ninfo|temperature 19000 m\xc2\xb0" "C|\n"
                            "info|temperature 19200 m\xc2\xb0" "C|\ninfo|done after 2 readings|\n") == 0,
          "hello logs:\n%s", logs.text);
    CHECK(out.run_ms == 2000 && logs.last_at_ms == 2000, "hello ran 2000 virtual ms: %" PRIu64, out.run_ms);

    run_module(apps_dir, "hello-c", &(run_options){.env = hello_env, .env_count = 2}, &out, &logs);
    CHECK_OUTCOME(out, WB_APP_EXITED, "");
    CHECK(logs.records == 4, "hello-c logs like hello:\n%s", logs.text);

    run_module(apps_dir, "counter", &(run_options){0}, &out, &logs);
    CHECK_OUTCOME(out, WB_APP_EXITED, "");
    CHECK(logs.records == 5 && strstr(logs.text, "info|count 5|") != NULL, "counter logs:\n%s", logs.text);

    run_module(apps_dir, "big-64k", &(run_options){0}, &out, &logs);
    CHECK_OUTCOME(out, WB_APP_EXITED, "");

    run_module(apps_dir, "trap", &(run_options){0}, &out, &logs);
    CHECK_OUTCOME(out, WB_APP_TRAP, "unreachable");
    CHECK(logs.records == 1, "trap logs once before trapping");

    /* Grows 1 -> 3 pages, memory.grow returns -1, the store past the end traps. */
    run_module(apps_dir, "memory-hog", &(run_options){.memory_limit_bytes = 3 * 65536 + 100}, &out, &logs);
    CHECK_OUTCOME(out, WB_APP_MEMORY_LIMIT, "out of bounds memory access (memory at its limit of 3 pages)");
    CHECK(out.memory_pages == 3 && strstr(logs.text, "warn|memory.grow refused at 3 pages") != NULL,
          "memory-hog stopped at the limit:\n%s", logs.text);

    /* The CPU-time limit preempts a loop that never calls the host (real clock). */
    host_board_set_clock(HOST_CLOCK_SKIP_SLEEPS);
    run_module(apps_dir, "busy-loop", &(run_options){.cpu_time_limit_ms = 50}, &out, &logs);
    CHECK_OUTCOME(out, WB_APP_CPU_TIME_LIMIT, "CPU-time limit of 50 ms exceeded");
    /* Nominally a tick late; the margin is for a loaded machine pausing this process. */
    CHECK(out.cpu_ms >= 50 && out.cpu_ms <= 50 + 250, "terminated soon after the limit: %" PRIu32 " ms", out.cpu_ms);

    /* Sleeping is not CPU time: hello sleeps 3 s under a 300 ms limit. */
    static const wb_text_pair three[] = {{WB_SLICE_LIT("iterations"), WB_SLICE_LIT("3")}};
    run_module(apps_dir, "hello", &(run_options){.env = three, .env_count = 1, .cpu_time_limit_ms = 300}, &out, &logs);
    CHECK_OUTCOME(out, WB_APP_EXITED, "");
    CHECK(out.run_ms >= 3000 && out.cpu_ms < 300, "slept %" PRIu64 " ms on %" PRIu32 " ms of CPU", out.run_ms,
          out.cpu_ms);
}

/* ---- host functions: results and traps --------------------------------------- */

static void test_abi_edges(void)
{
    wb_app_outcome out;
    captured logs;
    host_board_set_clock(HOST_CLOCK_VIRTUAL);
    static const wb_text_pair env[] = {{WB_SLICE_LIT("empty"), WB_SLICE_LIT("")},
                                       {WB_SLICE_LIT("greeting"), WB_SLICE_LIT("hello")}};
    run_module(wat_dir, "abi-edges", &(run_options){.entry = "config", .env = env, .env_count = 2}, &out, &logs);
    CHECK_OUTCOME(out, WB_APP_EXITED, "");
    CHECK(strcmp(logs.text, "info|config -1|\ninfo|config -2|\ninfo|config 5|\ninfo|hello|\ninfo|config 0|\n"
                            "info|config -1|\n") == 0,
          "config_get results:\n%s", logs.text);

    run_module(wat_dir, "abi-edges", &(run_options){.entry = "logs"}, &out, &logs);
    CHECK_OUTCOME(out, WB_APP_EXITED, "");
    static char want[4096];
    int n = snprintf(want, sizeof want,
                     "debug|config|\ninfo|sensor|\nwarn|random|\nerror|now|\ninfo||\n"
                     "info|m\xc3\xb0\xef\xbf\xbd\xef\xbf\xbd|\ninfo|");
    for (int i = 0; i < 1024; i++) want[n++] = (char)('a' + i % 26);
    snprintf(want + n, sizeof want - (size_t)n, "|T\n");
    CHECK(strcmp(logs.text, want) == 0, "log records:\n%s", logs.text);

    run_module(wat_dir, "abi-edges", &(run_options){.entry = "devices"}, &out, &logs);
    CHECK_OUTCOME(out, WB_APP_EXITED, "");
    uint32_t seed = TEST_RANDOM_SEED, r1 = test_xorshift32(&seed), r2 = test_xorshift32(&seed);
    snprintf(want, sizeof want,
             "info|sensor 19000|\ninfo|sensor 40000|\ninfo|sensor 100000|\ninfo|sensor -2147483648|\n"
             "info|sensor -2147483648|\ninfo|random %" PRId32 "|\ninfo|random %" PRId32 "|\ninfo|now 7250|\n"
             "info|sensor 20450|\n",
             (int32_t)r1, (int32_t)r2);
    CHECK(strcmp(logs.text, want) == 0, "sensors, random, clock:\n%s", logs.text);

    static const struct {
        const char *entry;
        const char *message; /* NULL: any message (the interpreter's words) */
    } traps[] = {
        {"trap_log_level", "log: level 4 is not 0..3"},
        {"trap_log_range", "log: range [65530, 65537) is outside memory of 65536 bytes"},
        {"trap_log_wrap", "log: range [4294967295, 4294967297) is outside memory of 65536 bytes"},
        {"trap_sleep", "sleep_ms: negative duration -5"},
        {"trap_config_range", "config_get: range [65535, 65537) is outside memory of 65536 bytes"},
        {"trap_div", NULL},
        {"trap_overflow", NULL},
        {"trap_convert", NULL},
        {"trap_stack", NULL},
        {"trap_indirect_type", NULL},
        {"trap_indirect_null", NULL},
        {"trap_oob_load", NULL},
    };
    for (size_t i = 0; i < COUNT(traps); i++) {
        run_module(wat_dir, "abi-edges", &(run_options){.entry = traps[i].entry}, &out, &logs);
        CHECK(out.reason == WB_APP_TRAP && out.message[0] != '\0' &&
                  (traps[i].message == NULL || strcmp(out.message, traps[i].message) == 0),
              "%s: got %s \"%s\"", traps[i].entry, wb_app_reason_text(out.reason), out.message);
    }
}

/* ---- stop requests ---------------------------------------------------------- */

static volatile uint64_t stop_at_ms;

static void stop_from_interrupt(void)
{
    if (stop_at_ms != 0 && board_millis() >= stop_at_ms) {
        stop_at_ms = 0;
        wb_app_request_stop();
    }
}

static void test_stop(void)
{
    wb_app_outcome out;
    captured logs;
    host_board_set_clock(HOST_CLOCK_VIRTUAL);
    /* While sleeping: sleep_ms does not return; the run is stopped, not failed. */
    run_module(apps_dir, "hello", &(run_options){.stop_in_sleep_at_ms = 1500}, &out, &logs);
    CHECK_OUTCOME(out, WB_APP_STOP_REQUESTED, "");
    CHECK(logs.records == 3 && out.run_ms == 1500, "stopped in its second sleep: %u records, %" PRIu64 " ms",
          logs.records, out.run_ms);

    /* While computing: the tick interrupt terminates the interpreter. */
    host_board_set_clock(HOST_CLOCK_SKIP_SLEEPS);
    stop_at_ms = board_millis() + 30;
    host_board_on_tick(stop_from_interrupt);
    run_module(apps_dir, "busy-loop", &(run_options){.cpu_time_limit_ms = UINT32_MAX}, &out, &logs);
    host_board_on_tick(NULL);
    CHECK_OUTCOME(out, WB_APP_STOP_REQUESTED, "");

    /* Nothing runs: a stop request is ignored. */
    wb_app_request_stop();
    run_module(apps_dir, "counter", &(run_options){0}, &out, &logs);
    CHECK_OUTCOME(out, WB_APP_EXITED, "");
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: runtime_test <test modules dir> <example apps dir>\n");
        return 2;
    }
    wat_dir = argv[1];
    apps_dir = argv[2];
    host_board_start(HOST_CLOCK_SKIP_SLEEPS);
    CHECK(wb_runtime_init(), "WAMR starts");
    test_utf8();
    test_sensor_model();
    test_host_functions();
    test_load_checks();
    test_example_apps();
    test_abi_edges();
    test_stop();
    return check_report("runtime_test");
}
