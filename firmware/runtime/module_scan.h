/* One bounds-checked pass over a module's bytes (a C port of module-inspect.ts
 * and mvp-code-scan.ts in emulation/apps/src): the post-MVP features it uses,
 * whether it has a start section, its memories, and readers positioned on the
 * sections the load checks look into. */
#ifndef WB_RUNTIME_MODULE_SCAN_H
#define WB_RUNTIME_MODULE_SCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "wasm_reader.h"

enum { WB_KIND_FUNCTION, WB_KIND_TABLE, WB_KIND_MEMORY, WB_KIND_GLOBAL, WB_KIND_TAG };

typedef struct {
    uint32_t features; /* bit per wb_module_feature_name index */
    bool malformed;    /* not a module this parser can read */
    bool has_start;
    /* Sections as readers over the bytes (end == NULL: absent). */
    wb_wreader types, imports, functions, exports;
    uint32_t imported_functions;
    uint32_t tables, memories_total, memories_defined;
    uint32_t initial_pages; /* of the first defined memory */
    /* Mutability of globals by index, for mutable-global exports; MVP modules
     * have few, and an index past this bitmap counts as immutable. */
    uint8_t global_mutable[32];
    uint32_t globals;
} wb_module_scan;

void wb_module_scan_bytes(wb_module_scan *s, const uint8_t *bytes, size_t len);

/* "bulk-memory, sign-extension": the features of a mask, sorted, as wabt names them. */
void wb_module_feature_list(uint32_t features, char *buf, size_t cap);

#endif
