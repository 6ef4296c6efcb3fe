#include <string.h>

#include "proto/cbor.h"

void wb_cbor_writer_init(wb_cbor_writer *w, uint8_t *buf, size_t cap)
{
    w->buf = buf;
    w->cap = cap;
    w->len = 0;
    w->overflow = false;
}

void wb_cbor_put_raw(wb_cbor_writer *w, const uint8_t *data, size_t len)
{
    if (len > w->cap - w->len || w->overflow) {
        w->overflow = true;
    } else if (len > 0) {
        memcpy(w->buf + w->len, data, len);
    }
    w->len += len;
}

void wb_cbor_put_head(wb_cbor_writer *w, uint8_t major, uint64_t arg)
{
    uint8_t head[9];
    size_t n;
    uint8_t m = (uint8_t)(major << 5);
    if (arg < 24) {
        head[0] = (uint8_t)(m | arg);
        n = 1;
    } else {
        unsigned size = arg <= 0xff ? 1 : arg <= 0xffff ? 2 : arg <= 0xffffffffu ? 4 : 8;
        head[0] = (uint8_t)(m | (size == 1 ? 24 : size == 2 ? 25 : size == 4 ? 26 : 27));
        for (unsigned i = 0; i < size; i++) head[1 + i] = (uint8_t)(arg >> (8 * (size - 1 - i)));
        n = 1 + size;
    }
    wb_cbor_put_raw(w, head, n);
}

void wb_cbor_put_uint(wb_cbor_writer *w, uint64_t value)
{
    wb_cbor_put_head(w, WB_CBOR_UINT, value);
}

void wb_cbor_put_bytes(wb_cbor_writer *w, const uint8_t *data, size_t len)
{
    wb_cbor_put_head(w, WB_CBOR_BYTES, len);
    wb_cbor_put_raw(w, data, len);
}

void wb_cbor_put_text(wb_cbor_writer *w, const uint8_t *text, size_t len)
{
    wb_cbor_put_head(w, WB_CBOR_TEXT, len);
    wb_cbor_put_raw(w, text, len);
}

void wb_cbor_put_bool(wb_cbor_writer *w, bool value)
{
    uint8_t b = value ? 0xf5 : 0xf4;
    wb_cbor_put_raw(w, &b, 1);
}
