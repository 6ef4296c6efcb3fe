/* Schema encoding: validates like the decoder and writes deterministic CBOR
 * (shortest heads, record keys in table order, which is the canonical order). */
#include <string.h>

#include "proto/schema.h"
#include "proto/schema_internal.h"

typedef struct {
    wb_cbor_writer *w;
    wb_status fail_code;
    wb_path *path;
} encoder;

static wb_status encode(encoder *e, const wb_node *node, const void *value);

static wb_status encode_record(encoder *e, const wb_node *node, const uint8_t *rec)
{
    uint64_t present = 0;
    for (unsigned i = 0; i < node->count; i++) {
        const wb_field *f = &node->fields[i];
        if (!f->optional || *(const bool *)(rec + f->has_offset)) present++;
    }
    wb_cbor_put_head(e->w, WB_CBOR_MAP, present);
    for (unsigned i = 0; i < node->count; i++) {
        const wb_field *f = &node->fields[i];
        if (f->optional && !*(const bool *)(rec + f->has_offset)) continue;
        wb_cbor_put_text(e->w, (const uint8_t *)f->name, f->name_len);
        size_t mark = wb_path_push_key(e->path, f->name, f->name_len);
        wb_status s = encode(e, f->node, rec + f->offset);
        if (s != WB_OK) return s;
        wb_path_pop(e->path, mark);
    }
    if (node->rule) {
        const char *bad = node->rule(rec);
        if (bad) {
            (void)wb_path_push_key(e->path, bad, strlen(bad));
            return e->fail_code;
        }
    }
    return WB_OK;
}

/* Canonical order of text map keys: by encoded length, then bytewise. */
static int key_order(wb_slice a, wb_slice b)
{
    if (a.len != b.len) return a.len < b.len ? -1 : 1;
    return wb_slice_compare(a, b);
}

static wb_status encode_list(encoder *e, const wb_node *node, const wb_list *list)
{
    if (list->count > node->max || (list->count > 0 && list->items == NULL)) return e->fail_code;
    const uint8_t *items = list->items;
    if (node->kind == WB_NODE_TEXT_MAP) {
        const wb_text_pair *pairs = list->items;
        wb_cbor_put_head(e->w, WB_CBOR_MAP, list->count);
        for (uint32_t i = 0; i < list->count; i++) {
            size_t mark = wb_path_push_key(e->path, (const char *)pairs[i].key.ptr, pairs[i].key.len);
            if (!wb_text_valid(node->key, pairs[i].key) || !wb_utf8_valid(pairs[i].key.ptr, pairs[i].key.len)) {
                return e->fail_code;
            }
            if (i > 0 && key_order(pairs[i - 1].key, pairs[i].key) >= 0) return e->fail_code;
            wb_cbor_put_text(e->w, pairs[i].key.ptr, pairs[i].key.len);
            wb_status s = encode(e, node->item, &pairs[i].value);
            if (s != WB_OK) return s;
            wb_path_pop(e->path, mark);
        }
        return WB_OK;
    }
    if (!wb_list_order_ok(node, list, e->path)) return e->fail_code;
    size_t size = wb_node_storage_size(node->item);
    wb_cbor_put_head(e->w, WB_CBOR_ARRAY, list->count);
    for (uint32_t i = 0; i < list->count; i++) {
        size_t mark = wb_path_push_index(e->path, i);
        wb_status s = encode(e, node->item, items + i * size);
        if (s != WB_OK) return s;
        wb_path_pop(e->path, mark);
    }
    return WB_OK;
}

static wb_status encode(encoder *e, const wb_node *node, const void *value)
{
    switch (node->kind) {
    case WB_NODE_UINT: {
        uint64_t v = wb_uint_get(node, value);
        if (v < node->min || v > node->max) return e->fail_code;
        wb_cbor_put_uint(e->w, v);
        return WB_OK;
    }
    case WB_NODE_TEXT: {
        const wb_slice *s = value;
        if ((s->len > 0 && s->ptr == NULL) || !wb_text_valid(node, *s) || !wb_utf8_valid(s->ptr, s->len)) {
            return e->fail_code;
        }
        wb_cbor_put_text(e->w, s->ptr, s->len);
        return WB_OK;
    }
    case WB_NODE_BYTES: {
        const wb_slice *s = value;
        if ((s->len > 0 && s->ptr == NULL) || s->len < node->min || s->len > node->max) return e->fail_code;
        wb_cbor_put_bytes(e->w, s->ptr, s->len);
        return WB_OK;
    }
    case WB_NODE_BOOL:
        wb_cbor_put_bool(e->w, *(const bool *)value);
        return WB_OK;
    case WB_NODE_ENUM: {
        uint8_t index = *(const uint8_t *)value;
        if (index >= node->count) return e->fail_code;
        wb_cbor_put_text(e->w, (const uint8_t *)node->values[index], strlen(node->values[index]));
        return WB_OK;
    }
    case WB_NODE_RECORD:
        return encode_record(e, node, value);
    case WB_NODE_ARRAY:
    case WB_NODE_TEXT_MAP:
        return encode_list(e, node, value);
    default:
        return WB_ERR_INVALID_ARGUMENT;
    }
}

wb_status wb_encode_node(wb_cbor_writer *w, const wb_node *node, const void *value, wb_status fail_code, wb_path *path)
{
    encoder e = {w, fail_code, path};
    wb_status s = encode(&e, node, value);
    if (s == WB_OK && w->overflow) s = WB_ERR_NO_SPACE;
    return s;
}
