/* The host functions of the Wasmbed app ABI v1 (docs/app-abi.md §2), in the
 * bytewise order of their qualified names, with their WebAssembly signatures
 * ('i' = i32, 'I' = i64). Sets of them are bit masks over this order. */
#ifndef WB_RUNTIME_HOST_FUNCTIONS_H
#define WB_RUNTIME_HOST_FUNCTIONS_H

#include <stddef.h>
#include <stdint.h>

#include "proto/schema.h"

#define WB_HOST_MODULE "wasmbed"

typedef enum {
    WB_HF_CONFIG_GET,
    WB_HF_LOG,
    WB_HF_NOW_MS,
    WB_HF_RANDOM_U32,
    WB_HF_SENSOR_READ,
    WB_HF_SLEEP_MS,
    WB_HF_COUNT,
} wb_host_function;

#define WB_HF_ALL ((1u << WB_HF_COUNT) - 1u)

typedef struct {
    const char *name;      /* "log" */
    const char *qualified; /* "wasmbed.log" */
    const char *params;
    const char *results;
} wb_host_function_info;

extern const wb_host_function_info wb_host_functions[WB_HF_COUNT];

/* Index of an unqualified name ("log"), or -1. */
int wb_host_function_find(const uint8_t *name, size_t len);

/* Mask of the ABI host functions named in a list of qualified names (wb_slice
 * items, e.g. a manifest's hostFunctions); names the ABI does not define are
 * returned in *unknown (NULL when there are none). */
uint32_t wb_host_function_mask(const wb_list *qualified_names, const wb_slice **unknown);

/* Writes "wasmbed.a, wasmbed.b" for the functions in mask into buf (NUL-terminated, cut when too long). */
void wb_host_function_list(uint32_t mask, char *buf, size_t cap);

#endif
