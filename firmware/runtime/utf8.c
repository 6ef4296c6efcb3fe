#include "utf8.h"

#define REPLACEMENT 0xfffdu

/* WHATWG UTF-8 decoder state. */
typedef struct {
    uint32_t code_point;
    uint8_t needed, seen, lower, upper;
} decoder;

typedef enum { MORE, POINT, ERROR, ERROR_AGAIN } step;

static void reset(decoder *d)
{
    d->code_point = 0;
    d->needed = d->seen = 0;
    d->lower = 0x80;
    d->upper = 0xbf;
}

/* One byte: MORE (inside a sequence), POINT (d->code_point complete), ERROR
 * (emit U+FFFD), ERROR_AGAIN (emit U+FFFD, then feed the same byte again). */
static step feed(decoder *d, uint8_t b)
{
    if (d->needed == 0) {
        if (b <= 0x7f) {
            d->code_point = b;
            return POINT;
        }
        if (b >= 0xc2 && b <= 0xdf) {
            d->needed = 1;
            d->code_point = b & 0x1fu;
        } else if (b >= 0xe0 && b <= 0xef) {
            if (b == 0xe0) d->lower = 0xa0;
            if (b == 0xed) d->upper = 0x9f;
            d->needed = 2;
            d->code_point = b & 0x0fu;
        } else if (b >= 0xf0 && b <= 0xf4) {
            if (b == 0xf0) d->lower = 0x90;
            if (b == 0xf4) d->upper = 0x8f;
            d->needed = 3;
            d->code_point = b & 0x07u;
        } else {
            return ERROR;
        }
        return MORE;
    }
    if (b < d->lower || b > d->upper) {
        reset(d);
        return ERROR_AGAIN;
    }
    d->lower = 0x80;
    d->upper = 0xbf;
    d->code_point = (d->code_point << 6) | (b & 0x3fu);
    if (++d->seen < d->needed) return MORE;
    uint32_t cp = d->code_point;
    reset(d);
    d->code_point = cp;
    return POINT;
}

static size_t encode(uint32_t cp, char *out)
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xc0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3f));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xe0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
        out[2] = (char)(0x80 | (cp & 0x3f));
        return 3;
    }
    out[0] = (char)(0xf0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
    out[3] = (char)(0x80 | (cp & 0x3f));
    return 4;
}

/* Every input byte yields at most 3 output bytes: a 4-byte sequence is 4 in,
 * 4 out; a lone bad byte is 1 in, U+FFFD (3) out. */
size_t wb_utf8_sanitize(const uint8_t *p, size_t len, char *out)
{
    decoder d;
    reset(&d);
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        switch (feed(&d, p[i])) {
        case MORE: break;
        case POINT: n += encode(d.code_point, out + n); break;
        case ERROR: n += encode(REPLACEMENT, out + n); break;
        case ERROR_AGAIN:
            n += encode(REPLACEMENT, out + n);
            i--; /* the byte starts over */
            break;
        }
    }
    if (d.needed != 0) n += encode(REPLACEMENT, out + n);
    return n;
}

/* Length of the longest prefix that does not end inside a multi-byte sequence
 * (utf8.ts withoutCutSequence): a sequence is at most 4 bytes. */
static size_t without_cut_sequence(const uint8_t *p, size_t len)
{
    for (size_t back = 1; back <= 4 && back <= len; back++) {
        size_t i = len - back;
        uint8_t b = p[i];
        if ((b & 0xc0) == 0x80) continue;
        size_t needed = b < 0xc2 ? 1 : b < 0xe0 ? 2 : b < 0xf0 ? 3 : b < 0xf5 ? 4 : 1;
        return i + needed > len ? i : len;
    }
    return len;
}

size_t wb_utf8_log_text(const uint8_t *p, size_t len, size_t keep, char *out, bool *truncated)
{
    *truncated = len > keep;
    if (!*truncated) return wb_utf8_sanitize(p, len, out);
    return wb_utf8_sanitize(p, without_cut_sequence(p, keep), out);
}
