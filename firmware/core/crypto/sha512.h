/* SHA-512 (FIPS 180-4), incremental; Ed25519 hashes R || A || message with it. */
#ifndef WB_CRYPTO_SHA512_H
#define WB_CRYPTO_SHA512_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
    uint64_t state[8];
    uint64_t total; /* bytes; messages here are far below 2^61 */
    uint8_t block[128];
    size_t fill;
} wb_sha512_ctx;

void wb_sha512_init(wb_sha512_ctx *ctx);
void wb_sha512_update(wb_sha512_ctx *ctx, const void *data, size_t len);
void wb_sha512_final(wb_sha512_ctx *ctx, uint8_t digest[64]);

#endif
