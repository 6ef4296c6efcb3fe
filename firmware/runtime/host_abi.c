/* The "wasmbed" host functions (docs/app-abi.md §2) as WAMR raw natives. Argument
 * checks and trap messages follow wasmbed-imports.ts, in the same order. A
 * trap sets the instance's exception and returns: WAMR then unwinds the app. */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "app_internal.h"
#include "host_functions.h"
#include "proto/cbor.h"
#include "sensor_model.h"
#include "utf8.h"
#include "wasm.h"

#define CONFIG_MISSING (-1)
#define CONFIG_BUFFER_TOO_SMALL (-2)

static int32_t arg_i32(const uint64_t *args, int i)
{
    int32_t v;
    memcpy(&v, &args[i], sizeof v); /* WAMR stores an i32 in the first 4 bytes of its slot */
    return v;
}

static void result_i32(uint64_t *args, int32_t v)
{
    memcpy(args, &v, sizeof v);
}

static void result_i64(uint64_t *args, int64_t v)
{
    memcpy(args, &v, sizeof v);
}

static void trap(wasm_exec_env_t env, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void trap(wasm_exec_env_t env, const char *fmt, ...)
{
    char message[WB_APP_MESSAGE_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(message, sizeof message, fmt, ap);
    va_end(ap);
    wasm_runtime_set_exception(wasm_runtime_get_module_inst(env), message);
}

/* [ptr, ptr + len) of guest memory, or NULL after trapping. An empty range is
 * valid at any ptr <= size, including ptr == size. */
static uint8_t *guest_bytes(wasm_exec_env_t env, const char *fn, uint32_t ptr, uint32_t len)
{
    uint32_t size;
    uint8_t *base = wb_guest_memory(wasm_runtime_get_module_inst(env), &size);
    if (base == NULL) {
        trap(env, "%s: memory is not available yet", fn);
        return NULL;
    }
    if ((uint64_t)ptr + len > size) {
        trap(env, "%s: range [%" PRIu32 ", %" PRIu64 ") is outside memory of %" PRIu32 " bytes", fn, ptr,
             (uint64_t)ptr + len, size);
        return NULL;
    }
    return base + ptr;
}

static void n_log(wasm_exec_env_t env, uint64_t *args)
{
    int32_t level = arg_i32(args, 0);
    uint32_t len = (uint32_t)arg_i32(args, 2);
    if (level < WB_APP_LOG_DEBUG || level > WB_APP_LOG_ERROR) {
        trap(env, "log: level %" PRId32 " is not 0..3", level);
        return;
    }
    const uint8_t *bytes = guest_bytes(env, "log", (uint32_t)arg_i32(args, 1), len);
    if (bytes == NULL) return;
    wb_app_log_record record = {.level = (wb_app_log_level)level, .text = wb_run.log_text, .at_ms = wb_run_now_ms()};
    record.len = wb_utf8_log_text(bytes, len, WB_APP_LOG_MAX_BYTES, wb_run.log_text, &record.truncated);
    wb_run.host->log(wb_run.host->ctx, &record);
}

static void n_now_ms(wasm_exec_env_t env, uint64_t *args)
{
    (void)env;
    result_i64(args, (int64_t)wb_run_now_ms());
}

static void n_sleep_ms(wasm_exec_env_t env, uint64_t *args)
{
    int32_t ms = arg_i32(args, 0);
    if (ms < 0) {
        trap(env, "sleep_ms: negative duration %" PRId32, ms);
        return;
    }
    /* A stop ends the run here: the exception unwinds the app, and the runner
     * reports stop_requested rather than a trap. */
    if (!wb_run_sleep((uint32_t)ms)) wasm_runtime_set_exception(wasm_runtime_get_module_inst(env), "stop requested");
}

static const wb_text_pair *config_entry(const uint8_t *key, uint32_t len)
{
    const wb_text_pair *env = wb_run.spec->env.items;
    for (uint32_t i = 0; i < wb_run.spec->env.count; i++) {
        if (env[i].key.len == len && memcmp(env[i].key.ptr, key, len) == 0) return &env[i];
    }
    return NULL;
}

static void n_config_get(wasm_exec_env_t env, uint64_t *args)
{
    uint32_t key_len = (uint32_t)arg_i32(args, 1), buf_len = (uint32_t)arg_i32(args, 3);
    /* Both ranges first, so a bad pointer traps whatever the config holds. */
    const uint8_t *key = guest_bytes(env, "config_get", (uint32_t)arg_i32(args, 0), key_len);
    if (key == NULL) return;
    uint8_t *buf = guest_bytes(env, "config_get", (uint32_t)arg_i32(args, 2), buf_len);
    if (buf == NULL) return;
    const wb_text_pair *entry = wb_utf8_valid(key, key_len) ? config_entry(key, key_len) : NULL;
    if (entry == NULL) {
        result_i32(args, CONFIG_MISSING);
    } else if (entry->value.len > buf_len) {
        result_i32(args, CONFIG_BUFFER_TOO_SMALL);
    } else {
        memcpy(buf, entry->value.ptr, entry->value.len);
        result_i32(args, (int32_t)entry->value.len);
    }
}

static void n_sensor_read(wasm_exec_env_t env, uint64_t *args)
{
    (void)env;
    result_i32(args, wb_sensor_simulated(arg_i32(args, 0), wb_run_now_ms()));
}

static void n_random_u32(wasm_exec_env_t env, uint64_t *args)
{
    (void)env;
    result_i32(args, (int32_t)wb_run.host->random_u32(wb_run.host->ctx));
}

typedef void (*raw_native)(wasm_exec_env_t env, uint64_t *args);

static const raw_native natives[WB_HF_COUNT] = {
    [WB_HF_CONFIG_GET] = n_config_get, [WB_HF_LOG] = n_log,
    [WB_HF_NOW_MS] = n_now_ms,         [WB_HF_RANDOM_U32] = n_random_u32,
    [WB_HF_SENSOR_READ] = n_sensor_read, [WB_HF_SLEEP_MS] = n_sleep_ms,
};

/* This WAMR snapshot resolves registered natives only for its built-in module
 * names ("env", "wasi_*", "spectest"), so the runtime links "wasmbed" imports
 * itself, as a host module would inject them. The load checks have already
 * matched every import with an ABI function and its signature. */
bool wb_host_abi_link(wasm_module_t module)
{
    WASMModule *m = (WASMModule *)module;
    for (uint32_t i = 0; i < m->import_function_count; i++) {
        WASMFunctionImport *import = &m->import_functions[i].u.function;
        int f = wb_host_function_find((const uint8_t *)import->field_name, strlen(import->field_name));
        if (f < 0 || strcmp(import->module_name, WB_HOST_MODULE) != 0) return false;
        import->func_ptr_linked = (void *)natives[f];
        import->signature = NULL; /* the natives check their own pointers */
        import->attachment = NULL;
        import->call_conv_raw = true;
    }
    return true;
}
