/* Runs Wasmbed apps (WebAssembly modules following docs/app-abi.md) on WAMR's
 * interpreter: load checks, the "wasmbed" host functions, the memory limit
 * and the CPU-time limit. One app runs at a time, on the caller's thread; the
 * call returns when the run has ended, with its outcome (docs/app-abi.md §6).
 *
 *   wb_runtime_init();
 *   wb_app_run(&spec, module, len, &host, &outcome);
 *
 * The board's 1 kHz tick interrupt calls wb_runtime_tick() (through
 * board_tick_hook), which is how a run that never calls the host is still
 * terminated at its CPU-time limit. */
#ifndef WB_RUNTIME_WASM_APP_H
#define WB_RUNTIME_WASM_APP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "proto/manifest.h"
#include "proto/schema.h"

#define WB_RUNTIME_NAME "wamr"
/* WAMR as bundled by the wamr-sys crate, classic interpreter. */
#define WB_RUNTIME_VERSION "wamr-sys-0.1.1-classic-interp"

#define WB_WASM_PAGE_BYTES 65536u
/* memoryLimitBytes 0 (a manually started app): the reference host's default, 1 MiB. */
#define WB_APP_DEFAULT_MEMORY_LIMIT (16u * WB_WASM_PAGE_BYTES)
/* WebAssembly value and call stack of a run (the interpreter's own stack). */
#define WB_APP_WASM_STACK_BYTES (8u * 1024u)
/* log keeps at most this many bytes of a message (LOG_MAX_BYTES). */
#define WB_APP_LOG_MAX_BYTES 1024u
#define WB_APP_MESSAGE_MAX 160u

/* How a run ended: outcome `stopped` for the first two, `failed` for the rest. */
typedef enum {
    WB_APP_EXITED,
    WB_APP_STOP_REQUESTED,
    WB_APP_TRAP,
    WB_APP_CPU_TIME_LIMIT,
    WB_APP_MEMORY_LIMIT,
    WB_APP_INVALID_MODULE,
    WB_APP_MISSING_HOST_FUNCTION,
    /* Not an ABI reason: the device ran out of RAM loading or instantiating the
     * module (the protocol reports it as limit_exceeded). */
    WB_APP_NO_MEMORY,
} wb_app_reason;

typedef struct {
    wb_app_reason reason;
    char message[WB_APP_MESSAGE_MAX]; /* for failed outcomes: the trap or check message */
    uint32_t memory_pages;            /* linear memory at the end (0 if never instantiated) */
    uint32_t cpu_ms;                  /* CPU time the run used (sleeps excluded) */
    uint64_t run_ms;                  /* now_ms when the run ended */
} wb_app_outcome;

/* "exited", "stop_requested", "trap", "cpu_time_limit", "memory_limit",
 * "invalid_module", "missing_host_function", "no_memory". */
const char *wb_app_reason_text(wb_app_reason reason);
bool wb_app_failed(wb_app_reason reason);

/* What to run: the manifest's fields (wb_app_spec_from_manifest). */
typedef struct {
    wb_slice entry_point;
    uint32_t memory_limit_bytes; /* 0: WB_APP_DEFAULT_MEMORY_LIMIT */
    uint32_t cpu_time_limit_ms;  /* 0: no limit */
    wb_list env;                 /* of wb_text_pair: RuntimeConfig.env, read by config_get */
    wb_list host_functions;      /* of wb_slice: hostFunctions the manifest declares */
} wb_app_spec;

void wb_app_spec_from_manifest(wb_app_spec *spec, const wb_manifest *manifest);

/* Prefixed apart from proto/messages.h's wb_log_level, so one file can include both. */
typedef enum { WB_APP_LOG_DEBUG, WB_APP_LOG_INFO, WB_APP_LOG_WARN, WB_APP_LOG_ERROR } wb_app_log_level;

typedef struct {
    wb_app_log_level level;
    const char *text; /* valid UTF-8 (invalid sequences replaced by U+FFFD), not NUL-terminated */
    size_t len;
    bool truncated;   /* the app passed more than WB_APP_LOG_MAX_BYTES bytes */
    uint64_t at_ms;   /* now_ms of the call */
} wb_app_log_record;

/* The device's side of the host functions. */
typedef struct {
    void *ctx;
    /* Required: one log record (the device log path: AppLog once the protocol session runs). */
    void (*log)(void *ctx, const wb_app_log_record *record);
    /* 32 random bits; NULL: the device does not offer wasmbed.random_u32. */
    uint32_t (*random_u32)(void *ctx);
    /* Called repeatedly while the app sleeps, until board_millis() reaches
     * until_ms; may return early (the device serves its session here). NULL:
     * wait for interrupts. A stop requested from here ends the run. */
    void (*idle)(void *ctx, uint64_t until_ms);
    /* Optional: the load checks passed and the entry point is about to be
     * called (the protocol's "running"). */
    void (*entered)(void *ctx);
} wb_app_host;

/* Starts WAMR (on the system allocator). Idempotent; false if WAMR cannot start. */
bool wb_runtime_init(void);

/* Host functions this device offers with this host (qualified names in a mask of host_functions.h order). */
uint32_t wb_runtime_offered(const wb_app_host *host);

/* Deploy check (protocol §7.3 step 5) on the manifest alone: WB_APP_EXITED when
 * every declared host function is offered, else WB_APP_MISSING_HOST_FUNCTION with a message. */
wb_app_reason wb_app_check_host_functions(const wb_list *declared, const wb_app_host *host, char *message,
                                          size_t cap);

/* One run. `module` must stay writable for the call: WAMR's loader rewrites
 * opcodes in place, so the bytes are consumed (keep a pristine copy to restart). */
void wb_app_run(const wb_app_spec *spec, uint8_t *module, uint32_t len, const wb_app_host *host,
                wb_app_outcome *outcome);

/* Ends the current run as stopped/stop_requested: at once if it is sleeping
 * (sleep_ms does not return), else at its next branch or call. Safe from
 * interrupt handlers and from the idle hook. No effect when nothing runs. */
void wb_app_request_stop(void);

/* The CPU-time check, from the board's tick interrupt. */
void wb_runtime_tick(void);

#endif
