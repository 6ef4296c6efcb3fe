/* Compact CBOR (RFC 8949) for the profile of docs/protocol.md §4: definite
 * lengths only, no tags, text map keys, false/true/null as the only simple
 * values, floats only where skipped, nesting at most WB_CBOR_MAX_DEPTH.
 *
 * Reading is two-step: wb_cbor_check validates a whole buffer against the
 * profile once (so every later error is a schema error, not a CBOR one), and the
 * reader then walks heads in place. Nothing allocates; strings stay in the buffer. */
#ifndef WB_PROTO_CBOR_H
#define WB_PROTO_CBOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "proto/status.h"

#define WB_CBOR_MAX_DEPTH 16

enum {
    WB_CBOR_UINT = 0,
    WB_CBOR_NINT = 1,
    WB_CBOR_BYTES = 2,
    WB_CBOR_TEXT = 3,
    WB_CBOR_ARRAY = 4,
    WB_CBOR_MAP = 5,
    WB_CBOR_TAG = 6,
    WB_CBOR_SIMPLE = 7,
};

enum {
    WB_CBOR_FALSE = 20,
    WB_CBOR_TRUE = 21,
    WB_CBOR_NULL = 22,
};

/* One data item's head. For major 7, `info` tells false/true/null/float. */
typedef struct {
    uint8_t major;
    uint8_t info;
    bool shortest; /* argument in its shortest form */
    uint64_t arg;  /* integer value, string length, item or entry count */
} wb_cbor_head;

typedef struct {
    const uint8_t *pos;
    const uint8_t *end;
} wb_cbor_reader;

/* Validation flags of wb_cbor_check. */
#define WB_CBOR_DETERMINISTIC 1u /* RFC 8949 §4.2.1: shortest heads, sorted keys, no floats */

/* Validates that buf[0..len) is exactly one data item of the profile. Returns
 * WB_OK or WB_ERR_INVALID_CBOR; with `error_offset` set to where it failed. */
wb_status wb_cbor_check(const uint8_t *buf, size_t len, unsigned flags, size_t *error_offset);

void wb_cbor_reader_init(wb_cbor_reader *r, const uint8_t *buf, size_t len);
/* Reads a head (and, for strings, nothing else: the bytes follow at r->pos).
 * Fails on truncation, reserved additional information and indefinite lengths. */
wb_status wb_cbor_read_head(wb_cbor_reader *r, wb_cbor_head *head);
/* Skips one whole data item (recursively); for items already validated. */
wb_status wb_cbor_skip(wb_cbor_reader *r);
/* After a string head: its bytes, advancing past them. */
const uint8_t *wb_cbor_take(wb_cbor_reader *r, uint64_t len);

bool wb_utf8_valid(const uint8_t *s, size_t len);

/* Writer into a caller-provided buffer. Writes past the end are counted, not
 * performed: `overflow` is then set, and `len` is the size that was needed. */
typedef struct {
    uint8_t *buf;
    size_t cap;
    size_t len;
    bool overflow;
} wb_cbor_writer;

void wb_cbor_writer_init(wb_cbor_writer *w, uint8_t *buf, size_t cap);
void wb_cbor_put_head(wb_cbor_writer *w, uint8_t major, uint64_t arg);
void wb_cbor_put_uint(wb_cbor_writer *w, uint64_t value);
void wb_cbor_put_bytes(wb_cbor_writer *w, const uint8_t *data, size_t len);
void wb_cbor_put_text(wb_cbor_writer *w, const uint8_t *text, size_t len);
void wb_cbor_put_bool(wb_cbor_writer *w, bool value);
void wb_cbor_put_raw(wb_cbor_writer *w, const uint8_t *data, size_t len);

#endif
