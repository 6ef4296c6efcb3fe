/* Invalid, truncated and mutated modules never crash the runtime (ASan/UBSan):
 * every truncation of each seed module, then random mutations (bit flips,
 * interesting bytes, inserts, deletes, duplicated runs, LEB128 lengths made
 * huge), each run through the whole path: load checks, WAMR's loader,
 * instantiation and the entry point, under a CPU-time limit. Every outcome
 * must be one of the ABI's, with a message when it failed.
 *
 *   runtime_fuzz <dir of the test modules> <dir of the example apps>
 *   FUZZ_ITERATIONS (default 3000) and FUZZ_SEED override the defaults;
 *   FUZZ_SAVE=<file> writes each module there before running it (after a
 *   crash, the file holds the module that caused it).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "host_board.h"
#include "host_functions.h"
#include "test_host.h"
#include "wasm_app.h"

#define MAX_MODULE (80 * 1024)
#define MAX_SLEEPS 20

static const struct {
    int in_apps; /* 1: example apps dir, 0: test modules dir */
    const char *name;
} seeds[] = {
    {1, "hello"}, {1, "hello-c"}, {1, "counter"}, {1, "trap"}, {1, "memory-hog"}, {1, "busy-loop"},
    {1, "big-64k"}, {0, "abi-edges"}, {0, "start"}, {0, "import-env"}, {0, "segment-oob"},
};

static uint64_t rng_state;

static uint32_t rnd(uint32_t n)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return n == 0 ? 0 : (uint32_t)(rng_state % n);
}

typedef struct {
    unsigned sleeps;
    unsigned logs;
} fuzz_ctx;

static void on_log(void *ctx, const wb_app_log_record *record)
{
    ((fuzz_ctx *)ctx)->logs++;
    (void)record;
}

static uint32_t on_random(void *ctx)
{
    (void)ctx;
    return rnd(UINT32_MAX);
}

/* Sleeps take no time, and a module that keeps sleeping is stopped. */
static void on_idle(void *ctx, uint64_t until_ms)
{
    fuzz_ctx *f = ctx;
    host_board_skip_to(until_ms);
    if (++f->sleeps >= MAX_SLEEPS) wb_app_request_stop();
}

static unsigned outcomes[WB_APP_NO_MEMORY + 1];

static void run_one(const uint8_t *bytes, uint32_t len)
{
    static wb_slice declared[WB_HF_COUNT];
    static const wb_text_pair env[] = {{WB_SLICE_LIT("iterations"), WB_SLICE_LIT("2")}};
    for (int f = 0; f < WB_HF_COUNT; f++) {
        declared[f] = (wb_slice){(const uint8_t *)wb_host_functions[f].qualified,
                                 (uint32_t)strlen(wb_host_functions[f].qualified)};
    }
    const char *save = getenv("FUZZ_SAVE");
    if (save != NULL) {
        FILE *f = fopen(save, "wb");
        if (f != NULL) {
            fwrite(bytes, 1, len, f);
            fclose(f);
        }
    }
    /* A heap copy of exactly len bytes, so that ASan sees any read past the end. */
    uint8_t *copy = malloc(len > 0 ? len : 1);
    memcpy(copy, bytes, len);
    wb_app_spec spec = {
        .entry_point = WB_SLICE_LIT("run"),
        .memory_limit_bytes = 3 * 65536,
        .cpu_time_limit_ms = 20,
        .env = {env, 1},
        .host_functions = {declared, WB_HF_COUNT},
    };
    fuzz_ctx ctx = {0};
    wb_app_host host = {.ctx = &ctx, .log = on_log, .random_u32 = on_random, .idle = on_idle};
    wb_app_outcome out;
    wb_app_run(&spec, copy, len, &host, &out);
    free(copy);
    CHECK(out.reason <= WB_APP_NO_MEMORY, "outcome out of range: %d", (int)out.reason);
    if (out.reason > WB_APP_NO_MEMORY) return;
    CHECK(!wb_app_failed(out.reason) || out.message[0] != '\0', "failed (%s) without a message",
          wb_app_reason_text(out.reason));
    CHECK(out.memory_pages <= 3, "memory beyond the limit: %" PRIu32 " pages", out.memory_pages);
    outcomes[out.reason]++;
}

static uint32_t mutate(const uint8_t *seed, uint32_t len, uint8_t *out)
{
    static const uint8_t interesting[] = {0x00, 0x01, 0x0b, 0x40, 0x41, 0x60, 0x7f, 0x80, 0xfc, 0xff};
    memcpy(out, seed, len);
    unsigned edits = 1 + rnd(4);
    for (unsigned e = 0; e < edits && len > 0; e++) {
        uint32_t at = rnd(len);
        switch (rnd(6)) {
        case 0:
            out[at] ^= (uint8_t)(1u << rnd(8));
            break;
        case 1:
            out[at] = interesting[rnd(sizeof interesting)];
            break;
        case 2: /* insert a byte */
            if (len < MAX_MODULE) {
                memmove(out + at + 1, out + at, len - at);
                out[at] = (uint8_t)rnd(256);
                len++;
            }
            break;
        case 3: /* delete a run */
        {
            uint32_t n = 1 + rnd(len - at < 16 ? len - at : 16);
            memmove(out + at, out + at + n, len - at - n);
            len -= n;
            break;
        }
        case 4: /* duplicate a run */
        {
            uint32_t n = 1 + rnd(len - at < 16 ? len - at : 16);
            if (len + n <= MAX_MODULE) {
                memmove(out + at + n, out + at, len - at);
                len += n;
            }
            break;
        }
        default: /* a huge LEB128 length or index */
            if (at + 5 <= len) memcpy(out + at, "\xff\xff\xff\xff\x0f", 5);
            break;
        }
    }
    return len;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: runtime_fuzz <test modules dir> <example apps dir>\n");
        return 2;
    }
    const char *env_iterations = getenv("FUZZ_ITERATIONS");
    const char *env_seed = getenv("FUZZ_SEED");
    unsigned iterations = env_iterations != NULL ? (unsigned)strtoul(env_iterations, NULL, 0) : 3000;
    uint64_t seed = env_seed != NULL ? (uint64_t)strtoull(env_seed, NULL, 0) : 0x5eed;
    rng_state = seed != 0 ? seed : 1;
    host_board_start(HOST_CLOCK_SKIP_SLEEPS);
    CHECK(wb_runtime_init(), "WAMR starts");

    enum { SEEDS = sizeof seeds / sizeof seeds[0] };
    uint8_t *modules[SEEDS];
    uint32_t lens[SEEDS];
    unsigned truncations = 0;
    for (unsigned s = 0; s < SEEDS; s++) {
        modules[s] = test_read_module(seeds[s].in_apps ? argv[2] : argv[1], seeds[s].name, &lens[s]);
        if (lens[s] > MAX_MODULE) return 2;
        /* Every truncation of the small seeds; a sample of the 64 KiB one. */
        uint32_t step = lens[s] > 4096 ? 97 : 1;
        for (uint32_t n = 0; n < lens[s]; n += step, truncations++) run_one(modules[s], n);
    }
    static uint8_t mutated[MAX_MODULE];
    for (unsigned i = 0; i < iterations; i++) {
        unsigned s = rnd(SEEDS);
        if (lens[s] > 4096 && rnd(8) != 0) s = 0; /* big-64k is slow to copy: sample it less */
        run_one(mutated, mutate(modules[s], lens[s], mutated));
    }
    for (unsigned s = 0; s < SEEDS; s++) free(modules[s]);

    printf("runtime_fuzz: %u truncations + %u mutations (seed 0x%" PRIx64 "):", truncations, iterations,
           seed);
    for (int r = 0; r <= WB_APP_NO_MEMORY; r++) {
        if (outcomes[r] != 0) printf(" %s %u", wb_app_reason_text((wb_app_reason)r), outcomes[r]);
    }
    printf("\n");
    return check_report("runtime_fuzz");
}
