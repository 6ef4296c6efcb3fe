/* Profile validation of a whole CBOR buffer (docs/protocol.md §4, and §10.2 for
 * the deterministic mode used by manifests). Recursion is bounded by
 * WB_CBOR_MAX_DEPTH; every declared length is checked against the bytes left
 * before anything is read. */
#include <string.h>

#include "proto/cbor.h"

typedef struct {
    wb_cbor_reader r;
    unsigned flags;
    const uint8_t *fail_at;
} checker;

static wb_status fail(checker *c, const uint8_t *at)
{
    c->fail_at = at;
    return WB_ERR_INVALID_CBOR;
}

static wb_status check_item(checker *c, unsigned depth);

static size_t remaining(const checker *c)
{
    return (size_t)(c->r.end - c->r.pos);
}

/* Text key content of the map entry at `r` (already validated), and skips its value. */
static void next_entry(wb_cbor_reader *r, const uint8_t **key, size_t *key_len)
{
    wb_cbor_head h;
    (void)wb_cbor_read_head(r, &h);
    *key_len = (size_t)h.arg;
    *key = wb_cbor_take(r, h.arg);
    (void)wb_cbor_skip(r);
}

/* Quadratic, but only in the number of entries of one map, and strings are
 * compared in place: no table to size. Deterministic maps are checked for
 * strict order instead, which excludes duplicates in linear time. */
static bool is_duplicate(const uint8_t *first_entry, const uint8_t *key_start, const uint8_t *key, size_t key_len,
                         const uint8_t *end)
{
    wb_cbor_reader r = {first_entry, end};
    while (r.pos < key_start) {
        const uint8_t *other;
        size_t other_len;
        next_entry(&r, &other, &other_len);
        if (other_len == key_len && memcmp(other, key, key_len) == 0) return true;
    }
    return false;
}

static int compare_encodings(const uint8_t *a, size_t a_len, const uint8_t *b, size_t b_len)
{
    size_t n = a_len < b_len ? a_len : b_len;
    int d = memcmp(a, b, n);
    if (d != 0) return d;
    return a_len < b_len ? -1 : a_len > b_len ? 1 : 0;
}

static wb_status check_map(checker *c, uint64_t count, unsigned depth)
{
    const uint8_t *first_entry = c->r.pos;
    const uint8_t *prev_key = NULL;
    size_t prev_len = 0;
    for (uint64_t i = 0; i < count; i++) {
        const uint8_t *key_start = c->r.pos;
        wb_status s = check_item(c, depth);
        if (s != WB_OK) return s;
        wb_cbor_reader kr = {key_start, c->r.pos};
        wb_cbor_head kh;
        (void)wb_cbor_read_head(&kr, &kh);
        if (kh.major != WB_CBOR_TEXT) return fail(c, key_start);
        size_t encoded_len = (size_t)(c->r.pos - key_start);
        if (c->flags & WB_CBOR_DETERMINISTIC) {
            if (prev_key != NULL && compare_encodings(prev_key, prev_len, key_start, encoded_len) >= 0) {
                return fail(c, key_start);
            }
            prev_key = key_start;
            prev_len = encoded_len;
        } else if (is_duplicate(first_entry, key_start, kr.pos, (size_t)kh.arg, c->r.end)) {
            return fail(c, key_start);
        }
        s = check_item(c, depth);
        if (s != WB_OK) return s;
    }
    return WB_OK;
}

static wb_status check_item(checker *c, unsigned depth)
{
    const uint8_t *at = c->r.pos;
    wb_cbor_head h;
    if (wb_cbor_read_head(&c->r, &h) != WB_OK) return fail(c, at);
    bool deterministic = (c->flags & WB_CBOR_DETERMINISTIC) != 0;
    if (h.major == WB_CBOR_SIMPLE) {
        switch (h.info) {
        case WB_CBOR_FALSE:
        case WB_CBOR_TRUE:
        case WB_CBOR_NULL:
            return WB_OK;
        case 25:
        case 26:
        case 27:
            return deterministic ? fail(c, at) : WB_OK;
        default:
            return fail(c, at); /* undefined and every other simple value */
        }
    }
    if (deterministic && !h.shortest) return fail(c, at);
    switch (h.major) {
    case WB_CBOR_UINT:
    case WB_CBOR_NINT:
        return WB_OK;
    case WB_CBOR_BYTES:
        return wb_cbor_take(&c->r, h.arg) ? WB_OK : fail(c, at);
    case WB_CBOR_TEXT: {
        const uint8_t *s = wb_cbor_take(&c->r, h.arg);
        return s && wb_utf8_valid(s, (size_t)h.arg) ? WB_OK : fail(c, at);
    }
    case WB_CBOR_ARRAY:
        if (depth + 1 > WB_CBOR_MAX_DEPTH || h.arg > remaining(c)) return fail(c, at);
        for (uint64_t i = 0; i < h.arg; i++) {
            wb_status s = check_item(c, depth + 1);
            if (s != WB_OK) return s;
        }
        return WB_OK;
    case WB_CBOR_MAP:
        if (depth + 1 > WB_CBOR_MAX_DEPTH || h.arg > remaining(c) / 2) return fail(c, at);
        return check_map(c, h.arg, depth + 1);
    default:
        return fail(c, at); /* tags */
    }
}

wb_status wb_cbor_check(const uint8_t *buf, size_t len, unsigned flags, size_t *error_offset)
{
    checker c = {{buf, buf + len}, flags, NULL};
    wb_status s = check_item(&c, 0);
    if (s == WB_OK && c.r.pos != c.r.end) s = fail(&c, c.r.pos); /* bytes after the item */
    if (error_offset) *error_offset = s == WB_OK ? 0 : (size_t)(c.fail_at - buf);
    return s;
}
