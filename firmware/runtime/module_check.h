/* The load-time checks of docs/app-abi.md §1 that come after validation
 * (checks 2-8: MVP features only, no start section, ABI imports, offered host
 * functions, one exported memory, the entry point, initial memory within the
 * limit), on a module's pristine bytes. They run before WAMR's loader, which
 * rewrites the code in place. A module the scan cannot read in full, or one
 * with post-MVP features, is refused without reaching that loader (this WAMR
 * snapshot trusts some of what it reads); for the others, WAMR's validation
 * (check 1) decides first and these verdicts come after it. The parser is
 * bounds-checked throughout and never reads outside the bytes. */
#ifndef WB_RUNTIME_MODULE_CHECK_H
#define WB_RUNTIME_MODULE_CHECK_H

#include <stddef.h>
#include <stdint.h>

#include "wasm_app.h"

typedef struct {
    wb_slice entry_point;
    uint32_t offered;     /* host functions offered (mask) */
    uint32_t limit_pages; /* memory limit in pages */
} wb_module_check_args;

typedef struct {
    uint32_t imported;      /* host functions the module imports (mask) */
    uint32_t initial_pages; /* of its memory */
    bool malformed;         /* this parser could not read it: not a module */
    bool post_mvp;          /* uses features beyond the MVP (check 2 failed) */
} wb_module_facts;

/* WB_APP_EXITED when every check passes; else the reason of the first failed
 * check (invalid_module, missing_host_function or memory_limit) and its message. */
wb_app_reason wb_module_check(const uint8_t *bytes, size_t len, const wb_module_check_args *args,
                              wb_module_facts *facts, char *message, size_t cap);

#endif
