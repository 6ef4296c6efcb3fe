/* One run of an app (docs/app-abi.md §6): load checks, WAMR load and
 * instantiation with the memory capped, the entry point call under the
 * CPU-time limit, and the outcome. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app_internal.h"
#include "board.h"
#include "host_functions.h"
#include "module_check.h"
#include "wamr-platform/wb_platform.h"
#include "wasm_exec_env.h"
#include "wasm_runtime.h"

/* The suspend flag WAMR's interpreter checks at every branch and call (its
 * thread manager's "terminate" bit): how the tick interrupt preempts an app. */
#define WAMR_SUSPEND_TERMINATE 0x01u

wb_app_run_state wb_run;

static const char *const reason_texts[] = {
    [WB_APP_EXITED] = "exited",
    [WB_APP_STOP_REQUESTED] = "stop_requested",
    [WB_APP_TRAP] = "trap",
    [WB_APP_CPU_TIME_LIMIT] = "cpu_time_limit",
    [WB_APP_MEMORY_LIMIT] = "memory_limit",
    [WB_APP_INVALID_MODULE] = "invalid_module",
    [WB_APP_MISSING_HOST_FUNCTION] = "missing_host_function",
    [WB_APP_NO_MEMORY] = "no_memory",
};

const char *wb_app_reason_text(wb_app_reason reason)
{
    return (unsigned)reason < sizeof reason_texts / sizeof reason_texts[0] ? reason_texts[reason] : "internal";
}

bool wb_app_failed(wb_app_reason reason)
{
    return reason != WB_APP_EXITED && reason != WB_APP_STOP_REQUESTED;
}

void wb_app_spec_from_manifest(wb_app_spec *spec, const wb_manifest *manifest)
{
    *spec = (wb_app_spec){
        .entry_point = manifest->entry_point,
        .memory_limit_bytes = manifest->memory_limit_bytes,
        .cpu_time_limit_ms = manifest->cpu_time_limit_ms,
        .env = manifest->config.env,
        .host_functions = manifest->host_functions,
    };
}

/* Starts WAMR once: system allocator (picolibc malloc), no natives registered
 * (host_abi.c links the "wasmbed" imports itself). */
bool wb_runtime_init(void)
{
    static bool started;
    if (started) return true;
    RuntimeInitArgs init;
    memset(&init, 0, sizeof init);
    init.mem_alloc_type = Alloc_With_System_Allocator;
    init.max_thread_num = 1;
    if (!wasm_runtime_full_init(&init)) return false;
    started = true;
    return true;
}

uint32_t wb_runtime_offered(const wb_app_host *host)
{
    uint32_t offered = WB_HF_ALL;
    if (host == NULL || host->random_u32 == NULL) offered &= ~(1u << WB_HF_RANDOM_U32);
    return offered;
}

wb_app_reason wb_app_check_host_functions(const wb_list *declared, const wb_app_host *host, char *message, size_t cap)
{
    const wb_slice *unknown;
    uint32_t missing = wb_host_function_mask(declared, &unknown) & ~wb_runtime_offered(host);
    if (unknown != NULL) {
        snprintf(message, cap, "host does not offer %.*s", (int)unknown->len, (const char *)unknown->ptr);
        return WB_APP_MISSING_HOST_FUNCTION;
    }
    if (missing == 0) return WB_APP_EXITED;
    char list[128];
    wb_host_function_list(missing, list, sizeof list);
    snprintf(message, cap, "host does not offer %s", list);
    return WB_APP_MISSING_HOST_FUNCTION;
}

/* ---- time ------------------------------------------------------------------- */

uint64_t wb_run_now_ms(void)
{
    return board_millis() - wb_run.start_ms;
}

static void terminate_from_interrupt(void)
{
    ((WASMExecEnv *)wb_run.exec_env)->suspend_flags.flags |= WAMR_SUSPEND_TERMINATE;
}

void wb_runtime_tick(void)
{
    if (!wb_run.running || wb_run.sleeping || wb_run.cpu_limit_ms == 0 || wb_run.cpu_exceeded) return;
    uint64_t cpu = board_millis() - wb_run.start_ms - wb_run.slept_ms;
    if (cpu > wb_run.cpu_limit_ms) {
        wb_run.cpu_exceeded = true;
        terminate_from_interrupt();
    }
}

/* Defined here, next to wb_app_run, so that an image calling the runtime always
 * overrides the board's weak no-op (a separate archive member would not be
 * pulled in: the weak definition already satisfies the symbol). */
void board_tick_hook(void)
{
    wb_runtime_tick();
}

void wb_app_request_stop(void)
{
    uint32_t irq = board_irq_save();
    if (wb_run.running) {
        wb_run.stop_requested = true;
        if (!wb_run.sleeping) terminate_from_interrupt();
    }
    board_irq_restore(irq);
}

bool wb_run_sleep(uint32_t ms)
{
    uint32_t irq = board_irq_save();
    uint64_t now = board_millis();
    wb_run.sleep_start_ms = now;
    wb_run.sleeping = true;
    board_irq_restore(irq);

    const wb_app_host *host = wb_run.host;
    uint64_t until = now + ms;
    do {
        if (wb_run.stop_requested) break;
        if (host->idle != NULL) {
            host->idle(host->ctx, until);
        } else if (ms > 0) {
            board_wait_for_interrupt();
        }
    } while (board_millis() < until);

    irq = board_irq_save();
    wb_run.slept_ms += board_millis() - wb_run.sleep_start_ms;
    wb_run.sleeping = false;
    board_irq_restore(irq);
    return !wb_run.stop_requested;
}

/* ---- the run ---------------------------------------------------------------- */

uint8_t *wb_guest_memory(wasm_module_inst_t inst, uint32_t *size)
{
    WASMMemoryInstance *memory = ((WASMModuleInstance *)inst)->default_memory;
    if (memory == NULL) {
        *size = 0;
        return NULL;
    }
    *size = memory->num_bytes_per_page * memory->cur_page_count;
    return memory->memory_data;
}

static void set_outcome(wb_app_outcome *outcome, wb_app_reason reason, const char *message)
{
    outcome->reason = reason;
    snprintf(outcome->message, sizeof outcome->message, "%s", message);
}

/* WAMR prefixes its exceptions; the outcome carries the bare message. */
static const char *bare_exception(const char *exception)
{
    static const char prefix[] = "Exception: ";
    return strncmp(exception, prefix, sizeof prefix - 1) == 0 ? exception + sizeof prefix - 1 : exception;
}

/* Resources of a run, released in reverse order. */
typedef struct {
    wasm_module_t module;
    wasm_module_inst_t inst;
    wasm_exec_env_t exec_env;
    char *log_text;
} run_resources;

static void release(run_resources *r)
{
    free(r->log_text);
    if (r->exec_env != NULL) wasm_runtime_destroy_exec_env(r->exec_env);
    if (r->inst != NULL) wasm_runtime_deinstantiate(r->inst);
    if (r->module != NULL) wasm_runtime_unload(r->module);
}

/* Load checks and WAMR load/instantiate; WB_APP_EXITED when the app can be called. */
static wb_app_reason prepare(const wb_app_spec *spec, uint8_t *module, uint32_t len, const wb_app_host *host,
                             uint32_t limit_pages, run_resources *r, wb_module_facts *facts, wb_app_outcome *outcome)
{
    char check_message[WB_APP_MESSAGE_MAX], error[128];
    const wb_slice *unknown;
    wb_module_check_args args = {
        .entry_point = spec->entry_point,
        /* Only what the device offers and the manifest declares (as the simulated devices do). */
        .offered = wb_runtime_offered(host) & wb_host_function_mask(&spec->host_functions, &unknown),
        .limit_pages = limit_pages,
    };
    /* Before WAMR's loader: it rewrites the code in place. */
    wb_app_reason checked = wb_module_check(module, len, &args, facts, check_message, sizeof check_message);
    /* This 2020 WAMR trusts some of what it reads (it does not check the value
     * types of the type section, for one): only MVP modules that the scan
     * could read in full reach its loader. Such a module is invalid either
     * way; the message names its post-MVP features, if any. */
    if (facts->malformed || facts->post_mvp) {
        set_outcome(outcome, checked, check_message);
        return checked;
    }

    uint32_t failures = wb_platform_alloc_failures;
    r->module = wasm_runtime_load(module, len, error, sizeof error);
    if (r->module == NULL) {
        if (wb_platform_alloc_failures != failures) {
            snprintf(outcome->message, sizeof outcome->message, "out of memory loading the module: %.100s", error);
            return WB_APP_NO_MEMORY;
        }
        snprintf(outcome->message, sizeof outcome->message, "not a valid WebAssembly module: %.120s", error);
        return WB_APP_INVALID_MODULE;
    }
    if (checked != WB_APP_EXITED) {
        set_outcome(outcome, checked, check_message);
        return checked;
    }

    if (!wb_host_abi_link(r->module)) {
        set_outcome(outcome, WB_APP_INVALID_MODULE, "imports a function the runtime cannot link");
        return WB_APP_INVALID_MODULE;
    }
    /* The effective maximum is min(declared maximum, limit) (ABI §5.1). */
    WASMMemory *memory = &((WASMModule *)r->module)->memories[0];
    if (memory->max_page_count > limit_pages) memory->max_page_count = limit_pages;

    failures = wb_platform_alloc_failures;
    r->inst = wasm_runtime_instantiate(r->module, WB_APP_WASM_STACK_BYTES, 0, error, sizeof error);
    if (r->inst == NULL) {
        /* A valid module fails here when a segment does not fit: a trap, as in Node. */
        bool oom = wb_platform_alloc_failures != failures;
        snprintf(outcome->message, sizeof outcome->message, "%s%.120s", oom ? "out of memory instantiating: " : "",
                 error);
        return oom ? WB_APP_NO_MEMORY : WB_APP_TRAP;
    }
    r->exec_env = wasm_runtime_create_exec_env(r->inst, WB_APP_WASM_STACK_BYTES);
    r->log_text = malloc(3u * WB_APP_LOG_MAX_BYTES);
    if (r->exec_env == NULL || r->log_text == NULL) {
        set_outcome(outcome, WB_APP_NO_MEMORY, "out of memory creating the execution environment");
        return WB_APP_NO_MEMORY;
    }
    return WB_APP_EXITED;
}

/* Calls the entry point; returns how the call ended. */
static wb_app_reason call_entry(const wb_app_spec *spec, const run_resources *r, wb_app_outcome *outcome)
{
    char name[WB_APP_MESSAGE_MAX];
    snprintf(name, sizeof name, "%.*s", (int)spec->entry_point.len, (const char *)spec->entry_point.ptr);
    wasm_function_inst_t entry = wasm_runtime_lookup_function(r->inst, name, NULL);
    if (entry == NULL) { /* the load checks found it: cannot happen */
        set_outcome(outcome, WB_APP_INVALID_MODULE, "entry point not found");
        return WB_APP_INVALID_MODULE;
    }

    const wb_app_host *host = wb_run.host;
    if (host->entered != NULL) host->entered(host->ctx);
    uint32_t irq = board_irq_save();
    wb_run.exec_env = r->exec_env;
    wb_run.log_text = r->log_text;
    wb_run.start_ms = board_millis();
    wb_run.running = true;
    board_irq_restore(irq);

    wasm_runtime_call_wasm(r->exec_env, entry, 0, NULL);

    irq = board_irq_save();
    wb_run.running = false;
    uint64_t end = board_millis();
    board_irq_restore(irq);
    outcome->run_ms = end - wb_run.start_ms;
    outcome->cpu_ms = (uint32_t)(outcome->run_ms - wb_run.slept_ms);

    /* A stop wins over what it caused; the terminate flag leaves no exception. */
    if (wb_run.stop_requested) return WB_APP_STOP_REQUESTED;
    if (wb_run.cpu_exceeded) {
        snprintf(outcome->message, sizeof outcome->message, "CPU-time limit of %" PRIu32 " ms exceeded",
                 wb_run.cpu_limit_ms);
        return WB_APP_CPU_TIME_LIMIT;
    }
    const char *exception = wasm_runtime_get_exception(r->inst);
    if (exception != NULL) {
        set_outcome(outcome, WB_APP_TRAP, bare_exception(exception));
        return WB_APP_TRAP;
    }
    return WB_APP_EXITED;
}

void wb_app_run(const wb_app_spec *spec, uint8_t *module, uint32_t len, const wb_app_host *host,
                wb_app_outcome *outcome)
{
    memset(outcome, 0, sizeof *outcome);
    if (!wb_runtime_init()) {
        set_outcome(outcome, WB_APP_NO_MEMORY, "WAMR could not start");
        return;
    }
    uint32_t limit_bytes = spec->memory_limit_bytes != 0 ? spec->memory_limit_bytes : WB_APP_DEFAULT_MEMORY_LIMIT;
    uint32_t limit_pages = limit_bytes / WB_WASM_PAGE_BYTES;

    memset(&wb_run, 0, sizeof wb_run);
    wb_run.spec = spec;
    wb_run.host = host;
    wb_run.cpu_limit_ms = spec->cpu_time_limit_ms;

    run_resources r = {0};
    wb_module_facts facts;
    wb_app_reason reason = prepare(spec, module, len, host, limit_pages, &r, &facts, outcome);
    if (reason == WB_APP_EXITED) reason = call_entry(spec, &r, outcome);
    outcome->reason = reason;
    if (r.inst != NULL) {
        uint32_t size;
        wb_guest_memory(r.inst, &size);
        outcome->memory_pages = size / WB_WASM_PAGE_BYTES;
    }
    /* A trap after growing to the limit: the app needed more memory than allowed (ABI §5.1). */
    if (reason == WB_APP_TRAP && r.exec_env != NULL && outcome->memory_pages == limit_pages &&
        outcome->memory_pages > facts.initial_pages) {
        outcome->reason = WB_APP_MEMORY_LIMIT;
        size_t used = strlen(outcome->message);
        snprintf(outcome->message + used, sizeof outcome->message - used, " (memory at its limit of %" PRIu32 " pages)",
                 limit_pages);
    }
    release(&r);
    memset(&wb_run, 0, sizeof wb_run);
}
