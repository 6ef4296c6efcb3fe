#include "wasm_reader.h"

wb_wreader wb_wr_init(const uint8_t *bytes, size_t len)
{
    return (wb_wreader){.p = bytes, .end = bytes + len, .failed = false};
}

bool wb_wr_at_end(const wb_wreader *r)
{
    return r->failed || r->p >= r->end;
}

static void fail(wb_wreader *r)
{
    r->failed = true;
    r->p = r->end;
}

uint8_t wb_wr_u8(wb_wreader *r)
{
    if (r->p >= r->end) {
        fail(r);
        return 0;
    }
    return *r->p++;
}

uint8_t wb_wr_peek(wb_wreader *r)
{
    if (r->p >= r->end) {
        fail(r);
        return 0;
    }
    return *r->p;
}

uint32_t wb_wr_uleb(wb_wreader *r)
{
    uint32_t value = 0;
    for (unsigned shift = 0; shift < 35; shift += 7) {
        uint8_t b = wb_wr_u8(r);
        if (r->failed) return 0;
        /* The fifth byte may only carry the top 4 bits. */
        if (shift == 28 && (b & 0x70) != 0) break;
        value |= (uint32_t)(b & 0x7f) << shift;
        if ((b & 0x80) == 0) return value;
    }
    fail(r);
    return 0;
}

void wb_wr_skip_sleb(wb_wreader *r, unsigned max_bytes)
{
    for (unsigned i = 0; i < max_bytes; i++) {
        uint8_t b = wb_wr_u8(r);
        if (r->failed || (b & 0x80) == 0) return;
    }
    fail(r);
}

const uint8_t *wb_wr_take(wb_wreader *r, uint32_t n)
{
    if (r->failed || (size_t)(r->end - r->p) < n) {
        fail(r);
        return NULL;
    }
    const uint8_t *start = r->p;
    r->p += n;
    return start;
}

const uint8_t *wb_wr_name(wb_wreader *r, uint32_t *len)
{
    uint32_t n = wb_wr_uleb(r);
    if (len != NULL) *len = n;
    return wb_wr_take(r, n);
}

wb_wreader wb_wr_sub(wb_wreader *r, uint32_t n)
{
    const uint8_t *start = wb_wr_take(r, n);
    if (start == NULL) return (wb_wreader){.p = r->end, .end = r->end, .failed = true};
    return wb_wr_init(start, n);
}
