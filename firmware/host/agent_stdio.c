/* The device agent over stdin/stdout, for firmware/test/agent.int.test.ts: the
 * test plays the gateway with @wasmbed/protocol (codec and gateway session
 * machine) and writes its frames to stdin; the agent's frames come out on
 * stdout. The clock is the host's monotonic clock. The runtime is a stand-in:
 * every started run reports "running" at once and logs one line; runs and the
 * end of the session are reported on stderr as JSON lines. One process is one
 * connection: it exits when the agent closes or stdin ends.
 *
 *   agent_stdio [--redirect] [--max-module-bytes N] [--trust <64 hex>] */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "agent/agent.h"

#define SLOT_BYTES (WB_AGENT_SLOT_MANIFEST_BYTES + 128u * 1024u)
#define SLOTS 2u

static wb_agent agent;
static uint8_t rx[WB_MIN_DEVICE_FRAME_BYTES];
static uint8_t tx[16384];
static uint8_t slots[SLOTS][SLOT_BYTES];
static uint8_t trusted[1][32];
static uint32_t just_started[16];
static unsigned just_started_count;
static uint32_t rng_state = 0x6d2b79f5u;

static uint64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static void hex(const uint8_t *b, size_t n, char *out)
{
    for (size_t i = 0; i < n; i++) sprintf(out + 2 * i, "%02x", b[i]);
}

static bool start_run(void *ctx, const wb_agent_run *run, wb_agent_error *error)
{
    (void)ctx;
    (void)error;
    char sha[65];
    hex(run->sha256, 32, sha);
    fprintf(stderr, "{\"event\":\"start\",\"runId\":%u,\"appId\":\"%.*s\",\"revision\":%u,\"sha256\":\"%s\",\"moduleBytes\":%u}\n",
            (unsigned)run->run_id, (int)run->app_id.len, (const char *)run->app_id.ptr, (unsigned)run->revision, sha,
            (unsigned)run->module_len);
    /* Reported from the main loop: hooks must not call back into the agent. */
    if (just_started_count < sizeof just_started / sizeof just_started[0]) just_started[just_started_count++] = run->run_id;
    return true;
}

static void stop_run(void *ctx, uint32_t run_id)
{
    (void)ctx;
    fprintf(stderr, "{\"event\":\"stop\",\"runId\":%u}\n", (unsigned)run_id);
}

static uint32_t random_u32(void *ctx)
{
    (void)ctx;
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 17;
    rng_state ^= rng_state << 5;
    return rng_state;
}

static bool write_all(const uint8_t *buf, size_t len)
{
    while (len > 0) {
        ssize_t n = write(STDOUT_FILENO, buf, len);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        buf += n;
        len -= (size_t)n;
    }
    return true;
}

static void flush_output(void)
{
    uint8_t buf[4096];
    size_t n;
    while ((n = wb_agent_take_output(&agent, buf, sizeof buf)) > 0) {
        if (!write_all(buf, n)) exit(3);
    }
}

static void report_started(void)
{
    for (unsigned i = 0; i < just_started_count; i++) {
        uint32_t run = just_started[i];
        wb_agent_app_running(&agent, run, now_ms());
        static const char line[] = "hello from the stand-in runtime";
        wb_agent_app_log(&agent, run, 1, (const uint8_t *)line, sizeof line - 1, now_ms());
    }
    just_started_count = 0;
}

static int finish(void)
{
    flush_output();
    uint32_t delay = wb_agent_on_disconnected(&agent, now_ms());
    const wb_agent_end *end = wb_agent_last_end(&agent);
    fprintf(stderr, "{\"event\":\"closed\",\"kind\":\"%s\",\"code\":\"%s\",\"delayMs\":%u,\"endpoint\":\"%s\"}\n",
            wb_agent_end_kind_text(end->kind), end->code, (unsigned)delay, wb_agent_endpoint(&agent));
    return 0;
}

static bool parse_key(const char *text, uint8_t out[32])
{
    if (strlen(text) != 64) return false;
    for (int i = 0; i < 32; i++) {
        unsigned v;
        if (sscanf(text + 2 * i, "%2x", &v) != 1) return false;
        out[i] = (uint8_t)v;
    }
    return true;
}

int main(int argc, char **argv)
{
    static const char *const host_functions[] = {"wasmbed.config_get", "wasmbed.log",         "wasmbed.now_ms",
                                                 "wasmbed.random_u32", "wasmbed.sensor_read", "wasmbed.sleep_ms"};
    wb_agent_config c = {
        .firmware = "wasmbed-fw/agent-stdio",
        .board = "host",
        .arch = "x86_64",
        .runtime_name = "wamr",
        .runtime_version = "stand-in",
        .ram_bytes = 256 * 1024,
        .max_instances = 2,
        .host_functions = host_functions,
        .host_function_count = 6,
        .endpoint = "localhost:4423",
        .rx_buf = rx,
        .rx_cap = sizeof rx,
        .tx_buf = tx,
        .tx_cap = sizeof tx,
        .slot_count = SLOTS,
        .hooks = {NULL, start_run, stop_run, random_u32, NULL},
    };
    for (unsigned i = 0; i < SLOTS; i++) c.slots[i] = (wb_agent_slot_region){slots[i], SLOT_BYTES};
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--redirect") == 0) {
            c.follow_redirects = true;
        } else if (strcmp(argv[i], "--max-module-bytes") == 0 && i + 1 < argc) {
            c.max_module_bytes = (uint32_t)strtoul(argv[++i], NULL, 0);
        } else if (strcmp(argv[i], "--trust") == 0 && i + 1 < argc && parse_key(argv[++i], trusted[0])) {
            c.trusted_keys = (const uint8_t(*)[32])trusted;
            c.trusted_key_count = 1;
        } else {
            fprintf(stderr, "usage: agent_stdio [--redirect] [--max-module-bytes N] [--trust <64 hex>]\n");
            return 2;
        }
    }
    if (wb_agent_init(&agent, &c) != WB_OK) {
        fprintf(stderr, "agent_stdio: %s\n", wb_agent_problem(&agent));
        return 2;
    }
    unsigned actions = wb_agent_on_connected(&agent, now_ms());
    for (;;) {
        flush_output();
        if (actions & WB_AGENT_CLOSE) return finish();
        uint64_t now = now_ms();
        uint64_t wake = wb_agent_next_wakeup(&agent);
        int timeout = wake <= now ? 0 : wake - now > 1000 ? 1000 : (int)(wake - now);
        struct pollfd pfd = {STDIN_FILENO, POLLIN, 0};
        int ready = poll(&pfd, 1, timeout);
        if (ready < 0 && errno != EINTR) return 3;
        if (ready > 0) {
            uint8_t buf[4096];
            ssize_t n = read(STDIN_FILENO, buf, sizeof buf);
            if (n == 0 || (n < 0 && errno != EINTR)) return finish();
            size_t off = 0;
            while (n > 0 && off < (size_t)n) {
                size_t used = 0;
                actions |= wb_agent_on_bytes(&agent, buf + off, (size_t)n - off, &used, now_ms());
                off += used;
                flush_output(); /* back-pressure: make room, then go on */
            }
        }
        report_started();
        actions |= wb_agent_tick(&agent, now_ms());
    }
}
