#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_form.h"

static void put(json_buf *j, const char *s, size_t n)
{
    if (j->len + n + 1 > j->cap) {
        size_t cap = j->cap ? j->cap : 256;
        while (cap < j->len + n + 1) cap *= 2;
        char *grown = realloc(j->buf, cap);
        if (grown == NULL) abort();
        j->buf = grown;
        j->cap = cap;
    }
    memcpy(j->buf + j->len, s, n);
    j->len += n;
    j->buf[j->len] = '\0';
}

static void puts_(json_buf *j, const char *s)
{
    put(j, s, strlen(s));
}

static void printf_(json_buf *j, const char *fmt, ...)
{
    char tmp[64];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    put(j, tmp, (size_t)n);
}

void json_free(json_buf *j)
{
    free(j->buf);
    j->buf = NULL;
    j->len = j->cap = 0;
}

/* Escapes as JSON.stringify does: quote, backslash, the short escapes, other
 * control characters as \u00xx; everything else (UTF-8 included) verbatim. */
static void string(json_buf *j, const uint8_t *s, size_t n)
{
    put(j, "\"", 1);
    for (size_t i = 0; i < n; i++) {
        uint8_t c = s[i];
        switch (c) {
        case '"': puts_(j, "\\\""); break;
        case '\\': puts_(j, "\\\\"); break;
        case '\b': puts_(j, "\\b"); break;
        case '\f': puts_(j, "\\f"); break;
        case '\n': puts_(j, "\\n"); break;
        case '\r': puts_(j, "\\r"); break;
        case '\t': puts_(j, "\\t"); break;
        default:
            if (c < 0x20) printf_(j, "\\u%04x", c);
            else put(j, (const char *)&c, 1);
        }
    }
    put(j, "\"", 1);
}

static void record(json_buf *j, const wb_node *node, const uint8_t *rec)
{
    const wb_field *order[32];
    unsigned n = 0;
    for (unsigned i = 0; i < node->count; i++) {
        const wb_field *f = &node->fields[i];
        if (f->optional && !*(const bool *)(rec + f->has_offset)) continue;
        unsigned k = n++;
        while (k > 0 && strcmp(order[k - 1]->name, f->name) > 0) {
            order[k] = order[k - 1];
            k--;
        }
        order[k] = f;
    }
    put(j, "{", 1);
    for (unsigned i = 0; i < n; i++) {
        if (i) put(j, ",", 1);
        string(j, (const uint8_t *)order[i]->name, order[i]->name_len);
        put(j, ":", 1);
        json_node(j, order[i]->node, rec + order[i]->offset);
    }
    put(j, "}", 1);
}

static void text_map(json_buf *j, const wb_list *list)
{
    const wb_text_pair *pairs = list->items;
    const wb_text_pair **order = calloc(list->count + 1, sizeof *order);
    for (uint32_t i = 0; i < list->count; i++) {
        uint32_t k = i;
        while (k > 0 && wb_slice_compare(order[k - 1]->key, pairs[i].key) > 0) {
            order[k] = order[k - 1];
            k--;
        }
        order[k] = &pairs[i];
    }
    put(j, "{", 1);
    for (uint32_t i = 0; i < list->count; i++) {
        if (i) put(j, ",", 1);
        string(j, order[i]->key.ptr, order[i]->key.len);
        put(j, ":", 1);
        string(j, order[i]->value.ptr, order[i]->value.len);
    }
    put(j, "}", 1);
    free(order);
}

void json_node(json_buf *j, const wb_node *node, const void *value)
{
    switch (node->kind) {
    case WB_NODE_UINT:
        printf_(j, "%" PRIu64, node->max > 0xffffffffu ? *(const uint64_t *)value : *(const uint32_t *)value);
        break;
    case WB_NODE_TEXT: {
        const wb_slice *s = value;
        string(j, s->ptr, s->len);
        break;
    }
    case WB_NODE_BYTES: {
        const wb_slice *s = value;
        puts_(j, "{\"$bytes\":\"");
        for (uint32_t i = 0; i < s->len; i++) printf_(j, "%02x", s->ptr[i]);
        puts_(j, "\"}");
        break;
    }
    case WB_NODE_BOOL:
        puts_(j, *(const bool *)value ? "true" : "false");
        break;
    case WB_NODE_ENUM: {
        const char *v = node->values[*(const uint8_t *)value];
        string(j, (const uint8_t *)v, strlen(v));
        break;
    }
    case WB_NODE_RECORD:
        record(j, node, value);
        break;
    case WB_NODE_ARRAY: {
        const wb_list *list = value;
        size_t size = wb_node_storage_size(node->item);
        put(j, "[", 1);
        for (uint32_t i = 0; i < list->count; i++) {
            if (i) put(j, ",", 1);
            json_node(j, node->item, (const uint8_t *)list->items + i * size);
        }
        put(j, "]", 1);
        break;
    }
    case WB_NODE_TEXT_MAP:
        text_map(j, value);
        break;
    default:
        abort();
    }
}

void json_message(json_buf *j, const wb_message *m)
{
    const wb_msg_kind *kind = wb_msg_kind_of(m->type);
    puts_(j, "{\"body\":");
    json_node(j, kind->body, &m->body);
    printf_(j, ",\"correlationId\":%" PRIu32 ",\"msgId\":%" PRIu32 ",\"type\":", m->correlation_id, m->msg_id);
    string(j, (const uint8_t *)kind->name, strlen(kind->name));
    printf_(j, ",\"typeCode\":%" PRIu32 ",\"version\":%" PRIu32 "}", m->type, m->version);
}
