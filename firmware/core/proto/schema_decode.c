/* Schema decoding over an item that wb_cbor_check has already validated: every
 * failure here is the caller's fail_code (invalid_message / invalid_manifest)
 * with the path of the offending value. */
#include <string.h>

#include "proto/schema.h"
#include "proto/schema_internal.h"

static wb_status decode_record(wb_decoder *d, const wb_node *node, uint64_t count, uint8_t *out);

static wb_status read_string(wb_decoder *d, uint8_t major, const wb_cbor_head *h, wb_slice *out)
{
    if (h->major != major) return d->fail_code;
    const uint8_t *p = wb_cbor_take(&d->r, h->arg);
    if (p == NULL) return WB_ERR_INVALID_CBOR;
    out->ptr = p;
    out->len = (uint32_t)h->arg;
    return WB_OK;
}

static wb_status decode_list(wb_decoder *d, const wb_node *node, uint64_t count, wb_list *out)
{
    if (count > node->max) return d->fail_code;
    bool pairs = node->kind == WB_NODE_TEXT_MAP;
    size_t size = pairs ? sizeof(wb_text_pair) : wb_node_storage_size(node->item);
    uint8_t *items = NULL;
    if (count > 0) {
        items = wb_arena_alloc(d->arena, (size_t)count * size);
        if (items == NULL) return WB_ERR_NO_SPACE;
        memset(items, 0, (size_t)count * size);
    }
    for (uint32_t i = 0; i < count; i++) {
        uint8_t *slot = items + i * size;
        size_t mark;
        if (pairs) {
            wb_text_pair *pair = (wb_text_pair *)slot;
            wb_cbor_head kh;
            if (wb_cbor_read_head(&d->r, &kh) != WB_OK) return WB_ERR_INVALID_CBOR;
            wb_status s = read_string(d, WB_CBOR_TEXT, &kh, &pair->key);
            if (s != WB_OK) return s;
            mark = wb_path_push_key(d->path, (const char *)pair->key.ptr, pair->key.len);
            if (!wb_text_valid(node->key, pair->key)) return d->fail_code;
            s = wb_decode_node(d, node->item, &pair->value);
            if (s != WB_OK) return s;
        } else {
            mark = wb_path_push_index(d->path, i);
            wb_status s = wb_decode_node(d, node->item, slot);
            if (s != WB_OK) return s;
        }
        wb_path_pop(d->path, mark);
    }
    out->items = items;
    out->count = (uint32_t)count;
    if (!pairs && !wb_list_order_ok(node, out, d->path)) return d->fail_code;
    return WB_OK;
}

wb_status wb_decode_node(wb_decoder *d, const wb_node *node, void *out)
{
    wb_cbor_head h;
    if (wb_cbor_read_head(&d->r, &h) != WB_OK) return WB_ERR_INVALID_CBOR;
    switch (node->kind) {
    case WB_NODE_UINT:
        if (h.major != WB_CBOR_UINT || h.arg < node->min || h.arg > node->max) return d->fail_code;
        wb_uint_put(node, out, h.arg);
        return WB_OK;
    case WB_NODE_TEXT:
    case WB_NODE_BYTES: {
        wb_slice *s = out;
        wb_status st = read_string(d, node->kind == WB_NODE_TEXT ? WB_CBOR_TEXT : WB_CBOR_BYTES, &h, s);
        if (st != WB_OK) return st;
        if (node->kind == WB_NODE_TEXT) return wb_text_valid(node, *s) ? WB_OK : d->fail_code;
        return s->len >= node->min && s->len <= node->max ? WB_OK : d->fail_code;
    }
    case WB_NODE_BOOL:
        if (h.major != WB_CBOR_SIMPLE || (h.info != WB_CBOR_FALSE && h.info != WB_CBOR_TRUE)) return d->fail_code;
        *(bool *)out = h.info == WB_CBOR_TRUE;
        return WB_OK;
    case WB_NODE_ENUM: {
        wb_slice s;
        wb_status st = read_string(d, WB_CBOR_TEXT, &h, &s);
        if (st != WB_OK) return st;
        for (uint8_t i = 0; i < node->count; i++) {
            if (strlen(node->values[i]) == s.len && memcmp(node->values[i], s.ptr, s.len) == 0) {
                *(uint8_t *)out = i;
                return WB_OK;
            }
        }
        return d->fail_code;
    }
    case WB_NODE_RECORD:
        if (h.major != WB_CBOR_MAP) return d->fail_code;
        return decode_record(d, node, h.arg, out);
    case WB_NODE_ARRAY:
        if (h.major != WB_CBOR_ARRAY) return d->fail_code;
        return decode_list(d, node, h.arg, out);
    case WB_NODE_TEXT_MAP:
        if (h.major != WB_CBOR_MAP) return d->fail_code;
        return decode_list(d, node, h.arg, out);
    default:
        return WB_ERR_INVALID_ARGUMENT;
    }
}

static const wb_field *find_field(const wb_node *node, wb_slice key, unsigned *index)
{
    for (unsigned i = 0; i < node->count; i++) {
        const wb_field *f = &node->fields[i];
        if (f->name_len == key.len && memcmp(f->name, key.ptr, key.len) == 0) {
            *index = i;
            return f;
        }
    }
    return NULL;
}

static wb_status decode_record(wb_decoder *d, const wb_node *node, uint64_t count, uint8_t *out)
{
    memset(out, 0, node->size);
    uint32_t seen = 0; /* records have at most 32 fields */
    for (uint64_t i = 0; i < count; i++) {
        wb_cbor_head kh;
        wb_slice key;
        if (wb_cbor_read_head(&d->r, &kh) != WB_OK) return WB_ERR_INVALID_CBOR;
        wb_status s = read_string(d, WB_CBOR_TEXT, &kh, &key);
        if (s != WB_OK) return WB_ERR_INVALID_CBOR; /* wb_cbor_check admits text keys only */
        unsigned index;
        const wb_field *f = find_field(node, key, &index);
        if (f == NULL) {
            if (node->closed) {
                (void)wb_path_push_key(d->path, (const char *)key.ptr, key.len);
                return d->fail_code;
            }
            d->unknown_keys++;
            if (wb_cbor_skip(&d->r) != WB_OK) return WB_ERR_INVALID_CBOR;
            continue;
        }
        if (seen & (1u << index)) return WB_ERR_INVALID_CBOR; /* duplicate key */
        size_t mark = wb_path_push_key(d->path, f->name, f->name_len);
        s = wb_decode_node(d, f->node, out + f->offset);
        if (s != WB_OK) return s;
        wb_path_pop(d->path, mark);
        if (f->optional) *(bool *)(out + f->has_offset) = true;
        seen |= 1u << index;
    }
    for (unsigned i = 0; i < node->count; i++) {
        const wb_field *f = &node->fields[i];
        if (!f->optional && !(seen & (1u << i))) {
            (void)wb_path_push_key(d->path, f->name, f->name_len);
            return d->fail_code;
        }
    }
    if (node->rule) {
        const char *bad = node->rule(out);
        if (bad) {
            (void)wb_path_push_key(d->path, bad, strlen(bad));
            return d->fail_code;
        }
    }
    return WB_OK;
}
