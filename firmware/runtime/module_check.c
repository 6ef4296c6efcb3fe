/* The checks of prepare-module.ts (emulation/apps/src) in C, in the same
 * order and with the same messages, so that the MCU refuses a module for the
 * same reason as the simulated devices. */
#include "module_check.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "host_functions.h"
#include "module_scan.h"

static const char *const kind_names[] = {"function", "table", "memory", "global", "tag"};

typedef struct {
    char *buf;
    size_t cap;
} msg_out;

static wb_app_reason fail(msg_out *out, wb_app_reason reason, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static wb_app_reason fail(msg_out *out, wb_app_reason reason, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (out->cap > 0) vsnprintf(out->buf, out->cap, fmt, ap);
    va_end(ap);
    return reason;
}

/* A type of the type section, by index: positioned on its parameter vector. */
static bool find_type(const wb_module_scan *s, uint32_t index, wb_wreader *out)
{
    wb_wreader r = s->types;
    if (r.end == NULL) return false;
    uint32_t count = wb_wr_uleb(&r);
    if (index >= count) return false;
    for (uint32_t i = 0; !r.failed; i++) {
        if (wb_wr_u8(&r) != 0x60) return false;
        if (i == index) {
            *out = r;
            return !r.failed;
        }
        wb_wr_take(&r, wb_wr_uleb(&r));
        wb_wr_take(&r, wb_wr_uleb(&r));
    }
    return false;
}

/* Does the type at r (params, results) equal the signature ("iii", "")? */
static bool same_signature(wb_wreader r, const char *params, const char *results)
{
    for (int part = 0; part < 2; part++) {
        const char *want = part == 0 ? params : results;
        uint32_t n = wb_wr_uleb(&r);
        if (n != strlen(want)) return false;
        for (uint32_t i = 0; i < n; i++) {
            uint8_t t = wb_wr_u8(&r);
            if (t != (want[i] == 'I' ? 0x7e : 0x7f)) return false;
        }
    }
    return !r.failed;
}

static const char *type_name(uint8_t b)
{
    switch (b) {
    case 0x7f: return "i32";
    case 0x7e: return "i64";
    case 0x7d: return "f32";
    case 0x7c: return "f64";
    case 0x7b: return "v128";
    case 0x70: return "funcref";
    case 0x6f: return "externref";
    default: return "unknown";
    }
}

static void append(char *buf, size_t cap, size_t *used, const char *text)
{
    int n = snprintf(buf + *used, cap - *used, "%s", text);
    if (n > 0) *used += (size_t)n < cap - *used ? (size_t)n : cap - *used - 1;
}

/* "(i32, i32) -> (i64)", as prepare-module.ts describes a type. */
static void describe_type(wb_wreader r, char *buf, size_t cap)
{
    size_t used = 0;
    buf[0] = '\0';
    for (int part = 0; part < 2; part++) {
        append(buf, cap, &used, part == 0 ? "(" : " -> (");
        uint32_t n = wb_wr_uleb(&r);
        for (uint32_t i = 0; i < n && !r.failed; i++) {
            if (i > 0) append(buf, cap, &used, ", ");
            append(buf, cap, &used, type_name(wb_wr_u8(&r)));
        }
        append(buf, cap, &used, ")");
    }
}

static void describe_signature(const char *params, const char *results, char *buf, size_t cap)
{
    size_t used = 0;
    buf[0] = '\0';
    for (int part = 0; part < 2; part++) {
        const char *types = part == 0 ? params : results;
        append(buf, cap, &used, part == 0 ? "(" : " -> (");
        for (size_t i = 0; types[i]; i++) {
            if (i > 0) append(buf, cap, &used, ", ");
            append(buf, cap, &used, types[i] == 'I' ? "i64" : "i32");
        }
        append(buf, cap, &used, ")");
    }
}

/* Appends bytes as JSON.stringify would quote them (ASCII control characters
 * and the two special characters escaped, everything else as is). */
static void append_escaped(char *buf, size_t cap, size_t *used, const uint8_t *p, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        char one[8];
        if (p[i] == '"' || p[i] == '\\') {
            snprintf(one, sizeof one, "\\%c", p[i]);
        } else if (p[i] < 0x20) {
            snprintf(one, sizeof one, "\\u%04x", p[i]);
        } else {
            one[0] = (char)p[i];
            one[1] = '\0';
        }
        append(buf, cap, used, one);
    }
}

/* "\"module.name\"" for an import, as the TypeScript host prints it. */
static void quote_import(const uint8_t *module, uint32_t mlen, const uint8_t *name, uint32_t nlen, char *buf,
                         size_t cap)
{
    size_t used = 0;
    buf[0] = '\0';
    append(buf, cap, &used, "\"");
    append_escaped(buf, cap, &used, module, mlen);
    append(buf, cap, &used, ".");
    append_escaped(buf, cap, &used, name, nlen);
    append(buf, cap, &used, "\"");
}

/* Check 4: every import is an ABI host function with its exact signature. */
static wb_app_reason check_imports(const wb_module_scan *s, uint32_t *imported, msg_out *out)
{
    wb_wreader r = s->imports;
    if (r.end == NULL) return WB_APP_EXITED;
    uint32_t count = wb_wr_uleb(&r);
    for (uint32_t i = 0; i < count && !r.failed; i++) {
        uint32_t mlen, nlen;
        const uint8_t *module = wb_wr_name(&r, &mlen);
        const uint8_t *name = wb_wr_name(&r, &nlen);
        uint8_t kind = wb_wr_u8(&r);
        if (r.failed) break;
        char where[96];
        quote_import(module, mlen, name, nlen, where, sizeof where);
        if (kind != WB_KIND_FUNCTION) {
            return fail(out, WB_APP_INVALID_MODULE, "import %s: only functions may be imported, not a %s", where,
                        kind <= WB_KIND_TAG ? kind_names[kind] : "tag");
        }
        bool ours = mlen == strlen(WB_HOST_MODULE) && memcmp(module, WB_HOST_MODULE, mlen) == 0;
        int f = ours ? wb_host_function_find(name, nlen) : -1;
        if (f < 0) return fail(out, WB_APP_INVALID_MODULE, "import %s: not a host function of the Wasmbed ABI", where);
        const wb_host_function_info *info = &wb_host_functions[f];
        wb_wreader type;
        bool known = find_type(s, wb_wr_uleb(&r), &type);
        if (!known || !same_signature(type, info->params, info->results)) {
            char have[64], want[64];
            if (known) {
                describe_type(type, have, sizeof have);
            } else {
                snprintf(have, sizeof have, "unknown type");
            }
            describe_signature(info->params, info->results, want, sizeof want);
            return fail(out, WB_APP_INVALID_MODULE, "import %s: signature %s differs from %s", where, have, want);
        }
        *imported |= 1u << f;
    }
    if (r.failed) return fail(out, WB_APP_INVALID_MODULE, "malformed import section");
    return WB_APP_EXITED;
}

/* The type of a function (import or definition) by its index. */
static bool function_type(const wb_module_scan *s, uint32_t index, wb_wreader *type)
{
    uint32_t type_index;
    if (index < s->imported_functions) {
        wb_wreader r = s->imports;
        uint32_t count = wb_wr_uleb(&r), seen = 0;
        for (uint32_t i = 0; i < count && !r.failed; i++) {
            wb_wr_name(&r, NULL);
            wb_wr_name(&r, NULL);
            if (wb_wr_u8(&r) != WB_KIND_FUNCTION) return false; /* non-function imports fail check 4 first */
            type_index = wb_wr_uleb(&r);
            if (seen++ == index) return !r.failed && find_type(s, type_index, type);
        }
        return false;
    }
    wb_wreader r = s->functions;
    if (r.end == NULL) return false;
    uint32_t count = wb_wr_uleb(&r), local = index - s->imported_functions;
    if (local >= count) return false;
    for (uint32_t i = 0; i < local && !r.failed; i++) wb_wr_uleb(&r);
    type_index = wb_wr_uleb(&r);
    return !r.failed && find_type(s, type_index, type);
}

/* The first export with this name: its kind and index. */
static bool find_export(const wb_module_scan *s, const uint8_t *name, size_t len, uint8_t *kind, uint32_t *index)
{
    wb_wreader r = s->exports;
    if (r.end == NULL) return false;
    uint32_t count = wb_wr_uleb(&r);
    for (uint32_t i = 0; i < count && !r.failed; i++) {
        uint32_t n;
        const uint8_t *p = wb_wr_name(&r, &n);
        *kind = wb_wr_u8(&r);
        *index = wb_wr_uleb(&r);
        if (!r.failed && n == len && memcmp(p, name, len) == 0) return true;
    }
    return false;
}

wb_app_reason wb_module_check(const uint8_t *bytes, size_t len, const wb_module_check_args *args,
                              wb_module_facts *facts, char *message, size_t cap)
{
    msg_out out = {message, cap};
    wb_module_scan s;
    memset(&s, 0, sizeof s);
    memset(facts, 0, sizeof *facts);
    if (cap > 0) message[0] = '\0';
    wb_module_scan_bytes(&s, bytes, len);
    facts->initial_pages = s.initial_pages;
    facts->malformed = s.malformed;
    facts->post_mvp = s.features != 0;
    if (s.malformed) return fail(&out, WB_APP_INVALID_MODULE, "not a valid WebAssembly module");
    if (s.features != 0) {
        char list[128];
        wb_module_feature_list(s.features, list, sizeof list);
        return fail(&out, WB_APP_INVALID_MODULE, "uses features beyond WebAssembly MVP: %s", list);
    }
    if (s.has_start) return fail(&out, WB_APP_INVALID_MODULE, "module has a start function");

    wb_app_reason reason = check_imports(&s, &facts->imported, &out);
    if (reason != WB_APP_EXITED) return reason;
    uint32_t missing = facts->imported & ~args->offered;
    if (missing != 0) {
        char list[128];
        wb_host_function_list(missing, list, sizeof list);
        return fail(&out, WB_APP_MISSING_HOST_FUNCTION, "host does not offer %s", list);
    }

    uint8_t kind;
    uint32_t index;
    static const uint8_t memory_name[] = "memory";
    if (!find_export(&s, memory_name, sizeof memory_name - 1, &kind, &index) || kind != WB_KIND_MEMORY ||
        s.memories_defined != 1) {
        return fail(&out, WB_APP_INVALID_MODULE, "module must define its one memory and export it as \"memory\"");
    }
    wb_wreader type;
    const wb_slice entry = args->entry_point;
    if (!find_export(&s, entry.ptr, entry.len, &kind, &index) || kind != WB_KIND_FUNCTION ||
        !function_type(&s, index, &type) || !same_signature(type, "", "")) {
        char quoted[300];
        size_t used = 0;
        quoted[0] = '\0';
        append(quoted, sizeof quoted, &used, "\"");
        append_escaped(quoted, sizeof quoted, &used, entry.ptr, entry.len);
        append(quoted, sizeof quoted, &used, "\"");
        return fail(&out, WB_APP_INVALID_MODULE, "entry point %s must be an exported function () -> ()", quoted);
    }
    if (s.initial_pages > args->limit_pages) {
        return fail(&out, WB_APP_MEMORY_LIMIT, "module needs %" PRIu32 " pages of memory initially, the limit is %" PRIu32,
                    s.initial_pages, args->limit_pages);
    }
    return WB_APP_EXITED;
}
