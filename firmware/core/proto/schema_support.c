/* Pieces shared by schema decoding and encoding: paths, the arena, value
 * storage, text patterns and array order. */
#include <string.h>

#include "proto/schema.h"
#include "proto/schema_internal.h"

static void path_append(wb_path *path, const char *s, size_t n)
{
    size_t room = WB_PATH_MAX - 1 - path->len;
    if (n > room) n = room;
    memcpy(path->text + path->len, s, n);
    path->len += n;
    path->text[path->len] = '\0';
}

void wb_path_set(wb_path *path, const char *root)
{
    if (path == NULL) return;
    path->len = 0;
    path->text[0] = '\0';
    path_append(path, root, strlen(root));
}

size_t wb_path_push_key(wb_path *path, const char *name, size_t len)
{
    if (path == NULL) return 0;
    size_t old = path->len;
    path_append(path, ".", 1);
    path_append(path, name, len);
    return old;
}

size_t wb_path_push_index(wb_path *path, uint32_t index)
{
    if (path == NULL) return 0;
    size_t old = path->len;
    char digits[12];
    size_t n = sizeof digits;
    digits[--n] = ']';
    do {
        digits[--n] = (char)('0' + index % 10);
        index /= 10;
    } while (index > 0);
    digits[--n] = '[';
    path_append(path, digits + n, sizeof digits - n);
    return old;
}

void wb_path_pop(wb_path *path, size_t len)
{
    if (path == NULL) return;
    path->len = len;
    path->text[len] = '\0';
}

void wb_arena_init(wb_arena *arena, void *buf, size_t cap)
{
    arena->buf = buf;
    arena->cap = cap;
    arena->used = 0;
}

void *wb_arena_alloc(wb_arena *arena, size_t size)
{
    if (arena == NULL) return NULL;
    size_t start = (arena->used + 7u) & ~(size_t)7u;
    if (start > arena->cap || size > arena->cap - start) return NULL;
    arena->used = start + size;
    return arena->buf + start;
}

size_t wb_node_storage_size(const wb_node *node)
{
    switch (node->kind) {
    case WB_NODE_UINT: return wb_uint_is_wide(node) ? sizeof(uint64_t) : sizeof(uint32_t);
    case WB_NODE_TEXT:
    case WB_NODE_BYTES: return sizeof(wb_slice);
    case WB_NODE_BOOL: return sizeof(bool);
    case WB_NODE_ENUM: return sizeof(uint8_t);
    case WB_NODE_RECORD: return node->size;
    default: return sizeof(wb_list);
    }
}

uint64_t wb_uint_get(const wb_node *node, const void *value)
{
    if (wb_uint_is_wide(node)) return *(const uint64_t *)value;
    return *(const uint32_t *)value;
}

void wb_uint_put(const wb_node *node, void *value, uint64_t v)
{
    if (wb_uint_is_wide(node)) {
        *(uint64_t *)value = v;
    } else {
        *(uint32_t *)value = (uint32_t)v;
    }
}

static bool is_alpha(uint8_t c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

static bool is_digit(uint8_t c)
{
    return c >= '0' && c <= '9';
}

/* First and later characters allowed by each pattern. */
static bool pattern_char(wb_pattern pattern, uint8_t c, bool first)
{
    switch (pattern) {
    case WB_PATTERN_ID:
        return is_alpha(c) || is_digit(c) || (!first && (c == '.' || c == '_' || c == ':' || c == '-'));
    case WB_PATTERN_CODE:
        return (c >= 'a' && c <= 'z') || (!first && (is_digit(c) || c == '_'));
    case WB_PATTERN_HOST_FUNCTION:
        return is_alpha(c) || c == '_' || (!first && (is_digit(c) || c == '.' || c == ':' || c == '-'));
    case WB_PATTERN_ENTRY_POINT:
        return is_alpha(c) || c == '_' || c == '$' || (!first && (is_digit(c) || c == '.' || c == '-'));
    case WB_PATTERN_ENV_NAME:
        return is_alpha(c) || c == '_' || (!first && is_digit(c));
    default:
        return true;
    }
}

static bool is_hex_or(uint8_t c, const char *extra)
{
    return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || (c != 0 && strchr(extra, c));
}

bool wb_endpoint_valid(const uint8_t *s, size_t len)
{
    size_t colon = len;
    while (colon > 0 && s[colon - 1] != ':') colon--;
    if (colon == 0) return false;
    colon--; /* index of the last ':' */
    size_t digits = len - colon - 1;
    if (digits < 1 || digits > 5 || s[colon + 1] == '0') return false;
    uint32_t port = 0;
    for (size_t i = colon + 1; i < len; i++) {
        if (!is_digit(s[i])) return false;
        port = port * 10 + (uint32_t)(s[i] - '0');
    }
    if (port > 65535) return false;
    if (colon >= 2 && s[0] == '[' && s[colon - 1] == ']') {
        size_t inner = colon - 2;
        if (inner < 2 || inner > 45) return false;
        for (size_t i = 1; i < colon - 1; i++) {
            if (!is_hex_or(s[i], ":.")) return false;
        }
        return true;
    }
    if (colon < 1 || colon > 253) return false;
    for (size_t i = 0; i < colon; i++) {
        if (!(is_alpha(s[i]) || is_digit(s[i]) || s[i] == '.' || s[i] == '-')) return false;
    }
    return true;
}

bool wb_text_matches(wb_pattern pattern, const uint8_t *s, size_t len)
{
    if (pattern == WB_PATTERN_NONE) return true;
    if (pattern == WB_PATTERN_ENDPOINT) return wb_endpoint_valid(s, len);
    if (len == 0) return false;
    for (size_t i = 0; i < len; i++) {
        if (!pattern_char(pattern, s[i], i == 0)) return false;
    }
    return true;
}

int wb_slice_compare(wb_slice a, wb_slice b)
{
    size_t n = a.len < b.len ? a.len : b.len;
    int d = n ? memcmp(a.ptr, b.ptr, n) : 0;
    if (d != 0) return d;
    return a.len < b.len ? -1 : a.len > b.len ? 1 : 0;
}

bool wb_text_valid(const wb_node *node, wb_slice s)
{
    return s.len >= node->min && s.len <= node->max && wb_text_matches((wb_pattern)node->pattern, s.ptr, s.len);
}

static bool items_equal(const wb_node *item, const uint8_t *a, const uint8_t *b)
{
    if (item->kind == WB_NODE_UINT) return wb_uint_get(item, a) == wb_uint_get(item, b);
    return wb_slice_compare(*(const wb_slice *)a, *(const wb_slice *)b) == 0;
}

/* Order rules of arrays of scalars (hostFunctions, supportedVersions, args). On
 * failure the path names the array (unique) or the first item out of order (sorted). */
bool wb_list_order_ok(const wb_node *node, const wb_list *list, wb_path *path)
{
    const wb_node *item = node->item;
    size_t size = wb_node_storage_size(item);
    const uint8_t *items = list->items;
    if (node->order == WB_ORDER_UNIQUE) {
        for (uint32_t i = 1; i < list->count; i++) {
            for (uint32_t j = 0; j < i; j++) {
                if (items_equal(item, items + i * size, items + j * size)) return false;
            }
        }
    } else if (node->order == WB_ORDER_SORTED) {
        for (uint32_t i = 1; i < list->count; i++) {
            const wb_slice *prev = (const wb_slice *)(items + (i - 1) * size);
            const wb_slice *cur = (const wb_slice *)(items + i * size);
            if (wb_slice_compare(*prev, *cur) >= 0) {
                (void)wb_path_push_index(path, i);
                return false;
            }
        }
    }
    return true;
}
