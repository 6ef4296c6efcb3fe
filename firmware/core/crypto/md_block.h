/* Block buffering and final padding shared by SHA-256 and SHA-512 (both
 * Merkle-Damgard: fixed-size blocks, 0x80, zeros, then the message length in
 * bits, big-endian, at the end of the last block). */
#ifndef WB_CRYPTO_MD_BLOCK_H
#define WB_CRYPTO_MD_BLOCK_H

#include <stddef.h>
#include <stdint.h>

typedef void (*wb_compress_fn)(void *state, const uint8_t *block);

typedef struct {
    uint8_t *block;
    size_t block_size;
    size_t length_bytes; /* width of the length field: 8 (SHA-256) or 16 (SHA-512) */
    wb_compress_fn compress;
    void *state;
} wb_md_shape;

/* Adds data to the partial block holding `fill` bytes; returns the new fill. */
size_t wb_md_absorb(const wb_md_shape *md, size_t fill, const uint8_t *data, size_t len);
/* Pads after `total` message bytes and compresses the last block(s). */
void wb_md_finish(const wb_md_shape *md, size_t fill, uint64_t total);

#endif
