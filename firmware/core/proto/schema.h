/* Declarative descriptions of message bodies and the manifest (the CDDL of
 * docs/protocol.md), and one generic engine that decodes, validates and encodes
 * C structs from them. The same table drives all three, so the encoder can never
 * produce what the decoder rejects.
 *
 * C representation of each node kind:
 *   UINT      uint32_t, or uint64_t when max > UINT32_MAX (the u53 fields)
 *   TEXT      wb_slice (bytes in the frame buffer, not NUL-terminated)
 *   BYTES     wb_slice
 *   BOOL      bool
 *   ENUM      uint8_t, the index into `values`
 *   RECORD    the struct itself; optional fields have a `bool has_x` flag
 *   ARRAY     wb_list of the item representation
 *   TEXT_MAP  wb_list of wb_text_pair (text values only)
 *
 * Record fields MUST be listed in deterministic encoding order: by encoded
 * length of the key, then bytewise (the host tests check every table). */
#ifndef WB_PROTO_SCHEMA_H
#define WB_PROTO_SCHEMA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "proto/cbor.h"
#include "proto/status.h"

typedef struct {
    const uint8_t *ptr;
    uint32_t len;
} wb_slice;

typedef struct {
    const void *items;
    uint32_t count;
} wb_list;

typedef struct {
    wb_slice key;
    wb_slice value;
} wb_text_pair;

#define WB_SLICE_LIT(s) ((wb_slice){(const uint8_t *)(s), (uint32_t)(sizeof(s) - 1)})

typedef enum {
    WB_NODE_UINT,
    WB_NODE_TEXT,
    WB_NODE_BYTES,
    WB_NODE_BOOL,
    WB_NODE_ENUM,
    WB_NODE_RECORD,
    WB_NODE_ARRAY,
    WB_NODE_TEXT_MAP,
} wb_node_kind;

/* Character classes of the text fields with a pattern (§5, §10.1). */
typedef enum {
    WB_PATTERN_NONE,
    WB_PATTERN_ID,            /* [A-Za-z0-9][A-Za-z0-9._:-]*  */
    WB_PATTERN_CODE,          /* [a-z][a-z0-9_]*              */
    WB_PATTERN_HOST_FUNCTION, /* [A-Za-z_][A-Za-z0-9_.:-]*    */
    WB_PATTERN_ENTRY_POINT,   /* [A-Za-z_$][A-Za-z0-9_$.-]*   */
    WB_PATTERN_ENV_NAME,      /* [A-Za-z_][A-Za-z0-9_]*       */
    WB_PATTERN_ENDPOINT,      /* host:port, see wb_endpoint_valid */
} wb_pattern;

typedef enum {
    WB_ORDER_ANY,
    WB_ORDER_UNIQUE, /* no item twice */
    WB_ORDER_SORTED, /* strictly ascending bytewise (text items) */
} wb_order;

struct wb_node;

typedef struct {
    const char *name;
    uint8_t name_len;
    bool optional;
    uint16_t offset;     /* of the value in the record struct */
    uint16_t has_offset; /* of its `bool has_x` flag, for optional fields */
    const struct wb_node *node;
} wb_field;

typedef struct wb_node {
    uint8_t kind;    /* wb_node_kind */
    uint8_t pattern; /* TEXT: wb_pattern */
    uint8_t order;   /* ARRAY: wb_order */
    bool closed;     /* RECORD: unknown keys are an error (manifests) rather than ignored */
    uint8_t count;   /* RECORD: fields; ENUM: values */
    uint16_t size;   /* RECORD: sizeof the struct */
    uint64_t min;    /* UINT: smallest value; TEXT/BYTES: fewest bytes */
    uint64_t max;    /* UINT: largest value; TEXT/BYTES: most bytes; ARRAY/TEXT_MAP: most items */
    const wb_field *fields;
    const char *const *values;
    const struct wb_node *item; /* ARRAY: items; TEXT_MAP: values */
    const struct wb_node *key;  /* TEXT_MAP: keys */
    /* RECORD: rule across fields; returns the offending field's name, or NULL. */
    const char *(*rule)(const void *record);
} wb_node;

#define WB_FIELD(type, member, key, nodeptr) \
    {key, (uint8_t)(sizeof(key) - 1), false, (uint16_t)offsetof(type, member), 0, nodeptr}
#define WB_OPTIONAL(type, member, has, key, nodeptr) \
    {key, (uint8_t)(sizeof(key) - 1), true, (uint16_t)offsetof(type, member), (uint16_t)offsetof(type, has), nodeptr}
#define WB_COUNT(array) ((uint8_t)(sizeof(array) / sizeof((array)[0])))
/* A record node over `type`: open (unknown keys ignored) or closed, with an optional cross-field rule. */
#define WB_RECORD(type, fields_array, is_closed, rule_fn)                                                     \
    {                                                                                                         \
        .kind = WB_NODE_RECORD, .size = sizeof(type), .fields = fields_array, .count = WB_COUNT(fields_array), \
        .closed = is_closed, .rule = rule_fn                                                                  \
    }

/* Where a value failed validation, spelled as in the reference implementation:
 * "body.apps[0].sha256". Truncated (never overflowed) when deeper than fits. */
#define WB_PATH_MAX 96
typedef struct {
    char text[WB_PATH_MAX];
    size_t len;
} wb_path;

void wb_path_set(wb_path *path, const char *root);
size_t wb_path_push_key(wb_path *path, const char *name, size_t len);
size_t wb_path_push_index(wb_path *path, uint32_t index);
void wb_path_pop(wb_path *path, size_t len);

/* Caller-provided memory for decoded arrays (the only thing decoding stores
 * outside the result struct). */
typedef struct {
    uint8_t *buf;
    size_t cap;
    size_t used;
} wb_arena;

void wb_arena_init(wb_arena *arena, void *buf, size_t cap);
void *wb_arena_alloc(wb_arena *arena, size_t size);

typedef struct {
    wb_cbor_reader r;
    wb_arena *arena;       /* may be NULL when no array is expected */
    wb_path *path;         /* may be NULL */
    wb_status fail_code;   /* WB_ERR_INVALID_MESSAGE or WB_ERR_INVALID_MANIFEST */
    uint32_t unknown_keys; /* ignored keys of open records */
} wb_decoder;

/* Decodes the item at d->r (which wb_cbor_check has validated) into `out`. */
wb_status wb_decode_node(wb_decoder *d, const wb_node *node, void *out);

/* Validates `value` like the decoder would and appends its deterministic encoding. */
wb_status wb_encode_node(wb_cbor_writer *w, const wb_node *node, const void *value, wb_status fail_code, wb_path *path);

/* Size of a node's C representation (for array items). */
size_t wb_node_storage_size(const wb_node *node);

bool wb_text_matches(wb_pattern pattern, const uint8_t *s, size_t len);

/* "host:port" (§6.1 endpoint): a DNS name or IPv4 address of 1-253 characters
 * [A-Za-z0-9.-], or an IPv6 address in brackets ([0-9A-Fa-f:.], 2-45), then a
 * port 1-65535 without leading zeros. */
bool wb_endpoint_valid(const uint8_t *s, size_t len);

/* Bytewise order of two byte strings, the shorter first on a common prefix. */
int wb_slice_compare(wb_slice a, wb_slice b);

#endif
