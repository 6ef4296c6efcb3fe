#include <string.h>

#include "board.h"
#include "crypto/sha256.h"
#include "entropy.h"

#define BOOT_MAGIC 0x57424254u /* "WBBT" */

/* Survives a warm reset: .noinit is neither loaded nor zeroed at start-up. */
static struct {
    uint32_t magic;
    uint32_t count;
    uint32_t check; /* ~count: a cold start's random RAM rarely passes */
} boot __attribute__((section(".noinit")));

static uint8_t pool[32];
static uint32_t requests;
static int ready;

static void mix_u32(wb_sha256_ctx *h, uint32_t v)
{
    uint8_t b[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};
    wb_sha256_update(h, b, sizeof b);
}

/* Two readings of the fine counter: at a wake-up (when the tick's interrupt
 * was taken relative to the counter) and after a fixed amount of work. */
static void mix_jitter(wb_sha256_ctx *h)
{
    board_wait_for_interrupt();
    uint32_t woke = board_cycle_count();
    volatile uint32_t spin = 0;
    for (unsigned i = 0; i < 64; i++) spin += i;
    mix_u32(h, woke);
    mix_u32(h, board_cycle_count() - woke);
}

void wb_entropy_init(const uint8_t provisioned_seed[32], unsigned samples)
{
    if (boot.magic != BOOT_MAGIC || boot.check != ~boot.count) boot.count = 0;
    boot.count++;
    boot.magic = BOOT_MAGIC;
    boot.check = ~boot.count;

    wb_sha256_ctx h;
    wb_sha256_init(&h);
    static const char domain[] = "wasmbed entropy pool v1";
    wb_sha256_update(&h, domain, sizeof domain - 1);
    wb_sha256_update(&h, provisioned_seed, 32);
    mix_u32(&h, boot.count);
    for (unsigned i = 0; i < samples; i++) mix_jitter(&h);
    wb_sha256_final(&h, pool);
    ready = 1;
}

uint32_t wb_entropy_boot_count(void)
{
    return boot.count;
}

int wb_tls_generate_seed(unsigned char *output, unsigned int size)
{
    if (!ready) return -1;
    requests++;
    for (unsigned int at = 0, block = 0; at < size; block++) {
        wb_sha256_ctx h;
        uint8_t out[32];
        wb_sha256_init(&h);
        wb_sha256_update(&h, pool, sizeof pool);
        mix_u32(&h, requests);
        mix_u32(&h, block);
        mix_jitter(&h);
        wb_sha256_final(&h, out);
        unsigned int n = size - at < sizeof out ? size - at : (unsigned int)sizeof out;
        memcpy(output + at, out, n);
        at += n;
    }
    /* Ratchet: what was handed out cannot be recomputed from a later pool. */
    wb_sha256_ctx h;
    wb_sha256_init(&h);
    wb_sha256_update(&h, pool, sizeof pool);
    static const char ratchet[] = "ratchet";
    wb_sha256_update(&h, ratchet, sizeof ratchet - 1);
    wb_sha256_final(&h, pool);
    return 0;
}
