/* What the runtime's host test programs share: reading modules, the reference
 * host's xorshift32, and an idle hook that skips sleeps and can deliver a stop
 * at a given time, as the reference host's stopAtMs does. */
#ifndef WB_RUNTIME_TEST_HOST_H
#define WB_RUNTIME_TEST_HOST_H

#include <stdint.h>

/* The whole file (exits with status 2 when it cannot be read). */
uint8_t *test_read_file(const char *path, uint32_t *len);
/* <dir>/<name>.wasm */
uint8_t *test_read_module(const char *dir, const char *name, uint32_t *len);

/* xorshift32 (Marsaglia), the reference host's random_u32. */
uint32_t test_xorshift32(uint32_t *state);
#define TEST_RANDOM_SEED 0x9e3779b9u

typedef struct {
    uint64_t start_ms;   /* board_millis() when the run started */
    uint64_t stop_at_ms; /* 0: never; else the sleep reaching it requests a stop */
} test_sleeper;

/* A wb_app_host idle hook over a test_sleeper context. */
void test_idle(void *sleeper, uint64_t until_ms);

#endif
