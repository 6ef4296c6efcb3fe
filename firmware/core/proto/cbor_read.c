#include <string.h>

#include "proto/cbor.h"

void wb_cbor_reader_init(wb_cbor_reader *r, const uint8_t *buf, size_t len)
{
    r->pos = buf;
    r->end = buf + len;
}

static uint64_t read_be(const uint8_t *p, unsigned n)
{
    uint64_t v = 0;
    for (unsigned i = 0; i < n; i++) v = (v << 8) | p[i];
    return v;
}

wb_status wb_cbor_read_head(wb_cbor_reader *r, wb_cbor_head *head)
{
    if (r->pos >= r->end) return WB_ERR_INVALID_CBOR;
    uint8_t initial = *r->pos++;
    head->major = (uint8_t)(initial >> 5);
    head->info = (uint8_t)(initial & 0x1f);
    head->shortest = true;
    if (head->info < 24) {
        head->arg = head->info;
        return WB_OK;
    }
    if (head->info > 27) {
        /* 28-30 are reserved; 31 is an indefinite length or the break byte. */
        return WB_ERR_INVALID_CBOR;
    }
    unsigned size = 1u << (head->info - 24);
    if ((size_t)(r->end - r->pos) < size) return WB_ERR_INVALID_CBOR;
    head->arg = read_be(r->pos, size);
    r->pos += size;
    /* Major 7 with info 25-27 is a float: its bits, not an integer to shorten. */
    if (head->major != WB_CBOR_SIMPLE) {
        static const uint64_t smallest[4] = {24, 0x100, 0x10000, 0x100000000ull};
        head->shortest = head->arg >= smallest[head->info - 24];
    }
    return WB_OK;
}

const uint8_t *wb_cbor_take(wb_cbor_reader *r, uint64_t len)
{
    if (len > (uint64_t)(r->end - r->pos)) return NULL;
    const uint8_t *at = r->pos;
    r->pos += (size_t)len;
    return at;
}

wb_status wb_cbor_skip(wb_cbor_reader *r)
{
    /* Iterative: `pending` counts the items still to skip, so depth costs no stack. */
    uint64_t pending = 1;
    while (pending > 0) {
        wb_cbor_head h;
        wb_status s = wb_cbor_read_head(r, &h);
        if (s != WB_OK) return s;
        pending--;
        switch (h.major) {
        case WB_CBOR_BYTES:
        case WB_CBOR_TEXT:
            if (wb_cbor_take(r, h.arg) == NULL) return WB_ERR_INVALID_CBOR;
            break;
        case WB_CBOR_ARRAY:
            if (h.arg > (uint64_t)(r->end - r->pos)) return WB_ERR_INVALID_CBOR;
            pending += h.arg;
            break;
        case WB_CBOR_MAP:
            if (h.arg > (uint64_t)(r->end - r->pos) / 2) return WB_ERR_INVALID_CBOR;
            pending += 2 * h.arg;
            break;
        case WB_CBOR_TAG:
            return WB_ERR_INVALID_CBOR;
        default:
            break;
        }
    }
    return WB_OK;
}

bool wb_utf8_valid(const uint8_t *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        uint8_t c = s[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t n;
        uint32_t cp;
        if (c >= 0xc2 && c <= 0xdf) {
            n = 1;
            cp = c & 0x1fu;
        } else if (c >= 0xe0 && c <= 0xef) {
            n = 2;
            cp = c & 0x0fu;
        } else if (c >= 0xf0 && c <= 0xf4) {
            n = 3;
            cp = c & 0x07u;
        } else {
            return false; /* continuation byte, overlong lead (c0, c1) or beyond U+10FFFF */
        }
        if (len - i <= n) return false;
        for (size_t k = 1; k <= n; k++) {
            if ((s[i + k] & 0xc0) != 0x80) return false;
            cp = (cp << 6) | (s[i + k] & 0x3fu);
        }
        static const uint32_t min_cp[4] = {0, 0x80, 0x800, 0x10000};
        if (cp < min_cp[n] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return false;
        i += n + 1;
    }
    return true;
}
