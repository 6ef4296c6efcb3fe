#include "module_scan.h"

#include <stdio.h>
#include <string.h>

/* Post-MVP features, in the order of their (wabt) names, for sorted messages. */
enum {
    F_BULK_MEMORY,
    F_EXCEPTIONS,
    F_EXTENDED_CONST,
    F_MEMORY64,
    F_MULTI_MEMORY,
    F_MULTI_VALUE,
    F_MUTABLE_GLOBALS,
    F_REFERENCE_TYPES,
    F_SATURATING_FLOAT_TO_INT,
    F_SIGN_EXTENSION,
    F_SIMD,
    F_TAIL_CALL,
    F_THREADS,
    F_UNKNOWN,
    F_COUNT,
};

static const char *const feature_names[F_COUNT] = {
    "bulk-memory",     "exceptions",      "extended-const", "memory64",  "multi-memory",
    "multi-value",     "mutable-globals", "reference-types", "saturating-float-to-int",
    "sign-extension",  "simd",            "tail-call",      "threads",   "unknown",
};

enum { SEC_CUSTOM, SEC_TYPE, SEC_IMPORT, SEC_FUNCTION, SEC_TABLE, SEC_MEMORY, SEC_GLOBAL, SEC_EXPORT,
       SEC_START, SEC_ELEMENT, SEC_CODE, SEC_DATA, SEC_DATA_COUNT, SEC_TAG };



static void use(wb_module_scan *s, int feature)
{
    s->features |= 1u << feature;
}

static bool is_mvp_type(uint8_t b)
{
    return b == 0x7f || b == 0x7e || b == 0x7d || b == 0x7c;
}

static void value_type(wb_module_scan *s, uint8_t b)
{
    if (is_mvp_type(b)) return;
    if (b == 0x7b) {
        use(s, F_SIMD);
    } else if (b == 0x70 || b == 0x6f) {
        use(s, F_REFERENCE_TYPES);
    } else {
        use(s, F_UNKNOWN);
    }
}

static bool skip_const_immediate(uint8_t op, wb_wreader *r)
{
    switch (op) {
    case 0x41: wb_wr_skip_sleb(r, 5); return true;
    case 0x42: wb_wr_skip_sleb(r, 10); return true;
    case 0x43: wb_wr_take(r, 4); return true;
    case 0x44: wb_wr_take(r, 8); return true;
    default: return false;
    }
}

static int single_byte_feature(uint8_t op)
{
    if ((op >= 0x06 && op <= 0x0a) || op == 0x18 || op == 0x19) return F_EXCEPTIONS;
    if (op == 0x12 || op == 0x13) return F_TAIL_CALL;
    if (op == 0x1c || op == 0x25 || op == 0x26 || (op >= 0xd0 && op <= 0xd2)) return F_REFERENCE_TYPES;
    if (op >= 0xc0 && op <= 0xc4) return F_SIGN_EXTENSION;
    if (op == 0xfd) return F_SIMD;
    if (op == 0xfe) return F_THREADS;
    return F_UNKNOWN;
}

static int prefixed_feature(uint32_t sub)
{
    if (sub <= 7) return F_SATURATING_FLOAT_TO_INT;
    if (sub <= 14) return F_BULK_MEMORY;
    if (sub <= 17) return F_REFERENCE_TYPES;
    return F_UNKNOWN;
}

/* Block type: empty or one value type in MVP; a type index means multi-value. */
static bool block_type(wb_module_scan *s, wb_wreader *r)
{
    uint8_t b = wb_wr_peek(r);
    if (b == 0x40 || is_mvp_type(b) || b == 0x7b || b == 0x70 || b == 0x6f) {
        value_type(s, wb_wr_u8(r) == 0x40 ? 0x7f : b);
        return true;
    }
    if ((b & 0xc0) == 0x40) {
        use(s, F_UNKNOWN); /* another one-byte negative s33: a type we cannot follow */
        return false;
    }
    wb_wr_skip_sleb(r, 5);
    use(s, F_MULTI_VALUE);
    return true;
}

/* Locals per function: V8's limit, so that a module either host accepts
 * the other accepts too, and a declared count cannot ask the device for
 * gigabytes. */
#define MAX_LOCALS 50000u

/* A branch target: this WAMR's loader checks `depth + 1` against the open
 * blocks, which overflows for depth 0xffffffff; the scan refuses such labels
 * before the loader sees them. */
static void label(wb_module_scan *s, uint32_t depth, uint32_t labels)
{
    if (depth >= labels) s->malformed = true;
}

/* One code-section body; stops at the first non-MVP instruction, whose
 * immediates it cannot know (the caller moves on by the body's size). */
static void scan_body(wb_module_scan *s, wb_wreader *r)
{
    uint32_t groups = wb_wr_uleb(r), locals = 0;
    for (uint32_t i = 0; i < groups && !r->failed; i++) {
        uint32_t n = wb_wr_uleb(r);
        locals = n > MAX_LOCALS - locals ? MAX_LOCALS + 1 : locals + n;
        value_type(s, wb_wr_u8(r));
    }
    if (locals > MAX_LOCALS) s->malformed = true;
    uint32_t labels = 1; /* the function's own block */
    while (!wb_wr_at_end(r)) {
        uint8_t op = wb_wr_u8(r);
        if ((op >= 0x45 && op <= 0xbf) || skip_const_immediate(op, r)) continue;
        switch (op) {
        case 0x00: case 0x01: case 0x05: case 0x0f: case 0x1a: case 0x1b:
            break;
        case 0x0b:
            if (labels > 0) labels--;
            break;
        case 0x02: case 0x03: case 0x04:
            if (!block_type(s, r)) return;
            labels++;
            break;
        case 0x0c: case 0x0d:
            label(s, wb_wr_uleb(r), labels);
            break;
        case 0x10: case 0x20: case 0x21: case 0x22: case 0x23: case 0x24:
            wb_wr_uleb(r);
            break;
        case 0x0e: {
            uint32_t targets = wb_wr_uleb(r);
            for (uint32_t i = 0; i <= targets && !r->failed; i++) label(s, wb_wr_uleb(r), labels);
            break;
        }
        case 0x11:
            wb_wr_uleb(r);
            if (wb_wr_uleb(r) != 0) use(s, F_REFERENCE_TYPES);
            break;
        case 0x3f: case 0x40:
            if (wb_wr_uleb(r) != 0) use(s, F_MULTI_MEMORY);
            break;
        case 0xfc:
            use(s, prefixed_feature(wb_wr_uleb(r)));
            return;
        default:
            if (op >= 0x28 && op <= 0x3e) {
                if (wb_wr_uleb(r) & 0x40) use(s, F_MULTI_MEMORY);
                wb_wr_uleb(r);
                break;
            }
            use(s, single_byte_feature(op));
            return;
        }
    }
}

/* Table or memory limits; returns the initial size. */
static uint32_t limits(wb_module_scan *s, wb_wreader *r)
{
    uint8_t flags = wb_wr_u8(r);
    if (flags & 0x02) use(s, F_THREADS);
    if (flags & 0x04) use(s, F_MEMORY64);
    if (flags > 0x07) use(s, F_UNKNOWN);
    uint32_t initial = wb_wr_uleb(r);
    if (flags & 0x01) wb_wr_uleb(r);
    return initial;
}

static void table_type(wb_module_scan *s, wb_wreader *r)
{
    if (wb_wr_u8(r) != 0x70) use(s, F_REFERENCE_TYPES);
    limits(s, r);
}

static bool global_type(wb_module_scan *s, wb_wreader *r)
{
    value_type(s, wb_wr_u8(r));
    bool mutable_global = wb_wr_u8(r) == 0x01;
    if (s->globals < 8u * sizeof s->global_mutable && mutable_global) {
        s->global_mutable[s->globals / 8] |= (uint8_t)(1u << (s->globals % 8));
    }
    s->globals++;
    return mutable_global;
}

static void read_types(wb_module_scan *s, wb_wreader *r)
{
    s->types = *r;
    uint32_t count = wb_wr_uleb(r);
    for (uint32_t i = 0; i < count && !r->failed; i++) {
        if (wb_wr_u8(r) != 0x60) {
            use(s, F_UNKNOWN); /* GC composite types */
            return;
        }
        uint32_t params = wb_wr_uleb(r);
        for (uint32_t p = 0; p < params && !r->failed; p++) value_type(s, wb_wr_u8(r));
        uint32_t results = wb_wr_uleb(r);
        for (uint32_t p = 0; p < results && !r->failed; p++) value_type(s, wb_wr_u8(r));
        if (results > 1) use(s, F_MULTI_VALUE);
    }
}

static void read_imports(wb_module_scan *s, wb_wreader *r)
{
    s->imports = *r;
    uint32_t count = wb_wr_uleb(r);
    for (uint32_t i = 0; i < count && !r->failed; i++) {
        wb_wr_name(r, NULL);
        wb_wr_name(r, NULL);
        switch (wb_wr_u8(r)) {
        case WB_KIND_FUNCTION:
            wb_wr_uleb(r);
            s->imported_functions++;
            break;
        case WB_KIND_TABLE:
            table_type(s, r);
            s->tables++;
            break;
        case WB_KIND_MEMORY:
            limits(s, r);
            s->memories_total++;
            break;
        case WB_KIND_GLOBAL:
            if (global_type(s, r)) use(s, F_MUTABLE_GLOBALS);
            break;
        case WB_KIND_TAG:
            use(s, F_EXCEPTIONS);
            return;
        default:
            use(s, F_UNKNOWN);
            return;
        }
    }
}

static void read_tables(wb_module_scan *s, wb_wreader *r)
{
    uint32_t count = wb_wr_uleb(r);
    for (uint32_t i = 0; i < count && !r->failed; i++) {
        table_type(s, r);
        s->tables++;
    }
    if (s->tables > 1) use(s, F_REFERENCE_TYPES);
}

static void read_memories(wb_module_scan *s, wb_wreader *r)
{
    uint32_t count = wb_wr_uleb(r);
    for (uint32_t i = 0; i < count && !r->failed; i++) {
        uint32_t initial = limits(s, r);
        if (s->memories_defined == 0) s->initial_pages = initial;
        s->memories_defined++;
        s->memories_total++;
    }
    if (s->memories_total > 1) use(s, F_MULTI_MEMORY);
}

/* An MVP constant expression: one const or global.get, then end. */
static bool const_expr(wb_module_scan *s, wb_wreader *r)
{
    uint8_t op = wb_wr_u8(r);
    if (op == 0x23) {
        wb_wr_uleb(r);
    } else if (op == 0xd0 || op == 0xd2) {
        use(s, F_REFERENCE_TYPES);
        return false;
    } else if (op == 0xfd) {
        use(s, F_SIMD);
        return false;
    } else if (!skip_const_immediate(op, r)) {
        use(s, F_UNKNOWN);
        return false;
    }
    if (wb_wr_u8(r) != 0x0b) {
        use(s, F_EXTENDED_CONST);
        return false;
    }
    return true;
}

static void read_globals(wb_module_scan *s, wb_wreader *r)
{
    uint32_t count = wb_wr_uleb(r);
    for (uint32_t i = 0; i < count && !r->failed; i++) {
        global_type(s, r);
        if (!const_expr(s, r)) return;
    }
}

static bool global_is_mutable(const wb_module_scan *s, uint32_t index)
{
    return index < 8u * sizeof s->global_mutable && (s->global_mutable[index / 8] & (1u << (index % 8)));
}

static void read_exports(wb_module_scan *s, wb_wreader *r)
{
    s->exports = *r;
    uint32_t count = wb_wr_uleb(r);
    for (uint32_t i = 0; i < count && !r->failed; i++) {
        wb_wr_name(r, NULL);
        uint8_t kind = wb_wr_u8(r);
        uint32_t index = wb_wr_uleb(r);
        if (kind == WB_KIND_GLOBAL && global_is_mutable(s, index)) use(s, F_MUTABLE_GLOBALS);
        if (kind >= WB_KIND_TAG) use(s, F_EXCEPTIONS);
    }
}

static void read_elements(wb_module_scan *s, wb_wreader *r)
{
    uint32_t count = wb_wr_uleb(r);
    for (uint32_t i = 0; i < count && !r->failed; i++) {
        if (wb_wr_uleb(r) != 0) {
            use(s, F_BULK_MEMORY); /* passive, declarative or expression forms */
            return;
        }
        if (!const_expr(s, r)) return;
        uint32_t n = wb_wr_uleb(r);
        for (uint32_t e = 0; e < n && !r->failed; e++) wb_wr_uleb(r);
    }
}

static void read_data(wb_module_scan *s, wb_wreader *r)
{
    uint32_t count = wb_wr_uleb(r);
    for (uint32_t i = 0; i < count && !r->failed; i++) {
        if (wb_wr_uleb(r) != 0) {
            use(s, F_BULK_MEMORY); /* passive segments, or an explicit memory index */
            return;
        }
        if (!const_expr(s, r)) return;
        wb_wr_take(r, wb_wr_uleb(r));
    }
}

static void read_code(wb_module_scan *s, wb_wreader *r)
{
    uint32_t count = wb_wr_uleb(r);
    for (uint32_t i = 0; i < count && !r->failed; i++) {
        wb_wreader body = wb_wr_sub(r, wb_wr_uleb(r));
        scan_body(s, &body);
        if (body.failed) s->malformed = true; /* an instruction runs past its body */
    }
}

void wb_module_scan_bytes(wb_module_scan *s, const uint8_t *bytes, size_t len)
{
    static const uint8_t header[8] = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00};
    wb_wreader r = wb_wr_init(bytes, len);
    const uint8_t *h = wb_wr_take(&r, sizeof header);
    if (h == NULL || memcmp(h, header, sizeof header) != 0) {
        s->malformed = true;
        return;
    }
    while (!wb_wr_at_end(&r)) {
        uint8_t id = wb_wr_u8(&r);
        wb_wreader payload = wb_wr_sub(&r, wb_wr_uleb(&r));
        switch (id) {
        case SEC_CUSTOM: break;
        case SEC_TYPE: read_types(s, &payload); break;
        case SEC_IMPORT: read_imports(s, &payload); break;
        case SEC_FUNCTION: s->functions = payload; break;
        case SEC_TABLE: read_tables(s, &payload); break;
        case SEC_MEMORY: read_memories(s, &payload); break;
        case SEC_GLOBAL: read_globals(s, &payload); break;
        case SEC_EXPORT: read_exports(s, &payload); break;
        case SEC_START: s->has_start = true; break;
        case SEC_ELEMENT: read_elements(s, &payload); break;
        case SEC_CODE: read_code(s, &payload); break;
        case SEC_DATA: read_data(s, &payload); break;
        case SEC_DATA_COUNT: use(s, F_BULK_MEMORY); break;
        case SEC_TAG: use(s, F_EXCEPTIONS); break;
        default: use(s, F_UNKNOWN); break;
        }
        /* Contents that run past their section: not a module (the scan may
         * also stop early at a post-MVP construct, which is no failure). */
        if (payload.failed) s->malformed = true;
    }
    if (r.failed) s->malformed = true;
}

void wb_module_feature_list(uint32_t features, char *buf, size_t cap)
{
    size_t used = 0;
    if (cap == 0) return;
    buf[0] = '\0';
    for (int f = 0; f < F_COUNT; f++) {
        if ((features & (1u << f)) == 0) continue;
        int n = snprintf(buf + used, cap - used, "%s%s", used > 0 ? ", " : "", feature_names[f]);
        if (n < 0 || (size_t)n >= cap - used) return;
        used += (size_t)n;
    }
}
