/* SHA-256 (FIPS 180-4), incremental: module hashes are computed chunk by chunk. */
#ifndef WB_CRYPTO_SHA256_H
#define WB_CRYPTO_SHA256_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
    uint32_t state[8];
    uint64_t total;
    uint8_t block[64];
    size_t fill;
} wb_sha256_ctx;

void wb_sha256_init(wb_sha256_ctx *ctx);
void wb_sha256_update(wb_sha256_ctx *ctx, const void *data, size_t len);
void wb_sha256_final(wb_sha256_ctx *ctx, uint8_t digest[32]);
void wb_sha256(const void *data, size_t len, uint8_t digest[32]);

#endif
