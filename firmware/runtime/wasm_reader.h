/* A bounds-checked cursor over WebAssembly binary bytes. Errors are sticky:
 * after the first read past the end or overlong LEB128, every read returns 0
 * and `failed` stays set, so parsers check once at the end of a unit. */
#ifndef WB_RUNTIME_WASM_READER_H
#define WB_RUNTIME_WASM_READER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct {
    const uint8_t *p;
    const uint8_t *end;
    bool failed;
} wb_wreader;

wb_wreader wb_wr_init(const uint8_t *bytes, size_t len);
bool wb_wr_at_end(const wb_wreader *r);
uint8_t wb_wr_u8(wb_wreader *r);
uint8_t wb_wr_peek(wb_wreader *r);
/* Unsigned LEB128 of at most 32 bits (5 bytes). */
uint32_t wb_wr_uleb(wb_wreader *r);
/* Skips a signed LEB128 of at most max_bytes bytes. */
void wb_wr_skip_sleb(wb_wreader *r, unsigned max_bytes);
/* The next n bytes (NULL on failure). */
const uint8_t *wb_wr_take(wb_wreader *r, uint32_t n);
/* A length-prefixed byte string (a name); its length in *len unless NULL. */
const uint8_t *wb_wr_name(wb_wreader *r, uint32_t *len);
/* A reader over the next n bytes, which this reader skips. */
wb_wreader wb_wr_sub(wb_wreader *r, uint32_t n);

#endif
