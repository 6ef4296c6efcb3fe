/* State of the one run in progress, shared by the runner (app_run.c), the
 * host functions (host_abi.c) and the tick interrupt. Fields the interrupt
 * reads are volatile; 64-bit ones are written with interrupts masked. */
#ifndef WB_RUNTIME_APP_INTERNAL_H
#define WB_RUNTIME_APP_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "wasm_app.h"
#include "wasm_export.h"

typedef struct {
    const wb_app_spec *spec;
    const wb_app_host *host;
    wasm_exec_env_t exec_env;
    char *log_text; /* 3 * WB_APP_LOG_MAX_BYTES: a sanitized log message */
    uint32_t cpu_limit_ms;
    volatile uint64_t start_ms; /* board_millis() when the entry point was called */
    volatile uint64_t slept_ms; /* time spent in sleep_ms so far */
    volatile uint64_t sleep_start_ms;
    volatile bool running, sleeping, stop_requested, cpu_exceeded;
} wb_app_run_state;

extern wb_app_run_state wb_run;

/* now_ms of the run: milliseconds since the entry point was called. */
uint64_t wb_run_now_ms(void);

/* sleep_ms for a non-negative duration; false when a stop was requested (the
 * caller then ends the run instead of returning to the app). */
bool wb_run_sleep(uint32_t ms);

/* Linear memory of an instance: its base and its current size in bytes. */
uint8_t *wb_guest_memory(wasm_module_inst_t inst, uint32_t *size);

/* Links a loaded module's imports to the "wasmbed" natives; false when one is
 * not an ABI host function (the load checks refuse such modules first). */
bool wb_host_abi_link(wasm_module_t module);

#endif
