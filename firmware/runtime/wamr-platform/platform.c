/* The operating-system interface WAMR needs (platform_api_vmcore.h and the
 * parts of platform_api_extension.h its thread manager links against), for a
 * single-threaded bare-metal device. WAMR never prints: the UART carries the
 * device protocol, so os_printf output is discarded. */
#include "platform_api_extension.h"
#include "platform_api_vmcore.h"
#include "wasm_native.h"

#include "board.h"
#include "wb_platform.h"

#include <malloc.h>

volatile uint32_t wb_platform_alloc_failures;
uint32_t wb_platform_heap_in_use;
uint32_t wb_platform_heap_peak;

static korp_thread main_thread;

int bh_platform_init(void)
{
    return 0;
}

void bh_platform_destroy(void)
{
}

/* Counts failures and keeps the heap figures of wb_platform.h. */
static void *counted(void *p)
{
    if (p == NULL) {
        wb_platform_alloc_failures++;
        return NULL;
    }
    wb_platform_heap_in_use += (uint32_t)malloc_usable_size(p);
    if (wb_platform_heap_in_use > wb_platform_heap_peak) wb_platform_heap_peak = wb_platform_heap_in_use;
    return p;
}

static void uncount(void *p)
{
    if (p != NULL) wb_platform_heap_in_use -= (uint32_t)malloc_usable_size(p);
}

void *os_malloc(unsigned size)
{
    return counted(malloc(size));
}

void *os_realloc(void *ptr, unsigned size)
{
    size_t before = ptr != NULL ? malloc_usable_size(ptr) : 0;
    void *p = realloc(ptr, size);
    if (p == NULL) {
        wb_platform_alloc_failures++;
        return NULL;
    }
    wb_platform_heap_in_use -= (uint32_t)before;
    return counted(p);
}

void os_free(void *ptr)
{
    uncount(ptr);
    free(ptr);
}

int os_printf(const char *format, ...)
{
    (void)format;
    return 0;
}

int os_vprintf(const char *format, va_list ap)
{
    (void)format;
    (void)ap;
    return 0;
}

uint64 os_time_get_boot_microsecond(void)
{
    return board_millis() * 1000u;
}

korp_tid os_self_thread(void)
{
    return &main_thread;
}

/* The interpreter keeps WebAssembly frames on its own stack, so the native
 * stack only has to hold a bounded chain of host calls; WAMR's check (boundary
 * + 512 bytes) is kept on the boards and off on the host. */
uint8 *os_thread_get_stack_boundary(void)
{
#ifdef WB_RUNTIME_HOST
    return NULL;
#else
    return __stack_bottom;
#endif
}

int os_mutex_init(korp_mutex *mutex)
{
    (void)mutex;
    return BHT_OK;
}

int os_recursive_mutex_init(korp_mutex *mutex)
{
    (void)mutex;
    return BHT_OK;
}

int os_mutex_destroy(korp_mutex *mutex)
{
    (void)mutex;
    return BHT_OK;
}

int os_mutex_lock(korp_mutex *mutex)
{
    (void)mutex;
    return BHT_OK;
}

int os_mutex_unlock(korp_mutex *mutex)
{
    (void)mutex;
    return BHT_OK;
}

int os_cond_init(korp_cond *cond)
{
    (void)cond;
    return BHT_OK;
}

int os_cond_destroy(korp_cond *cond)
{
    (void)cond;
    return BHT_OK;
}

/* With one thread nobody could signal a waiter: waiting is an error. */
int os_cond_wait(korp_cond *cond, korp_mutex *mutex)
{
    (void)cond;
    (void)mutex;
    return BHT_ERROR;
}

int os_cond_reltimedwait(korp_cond *cond, korp_mutex *mutex, uint64 useconds)
{
    (void)cond;
    (void)mutex;
    (void)useconds;
    return BHT_ERROR;
}

int os_cond_signal(korp_cond *cond)
{
    (void)cond;
    return BHT_OK;
}

int os_thread_create_with_prio(korp_tid *p_tid, thread_start_routine_t start, void *arg, unsigned int stack_size,
                               int prio)
{
    (void)p_tid;
    (void)start;
    (void)arg;
    (void)stack_size;
    (void)prio;
    return BHT_ERROR;
}

int os_thread_create(korp_tid *p_tid, thread_start_routine_t start, void *arg, unsigned int stack_size)
{
    return os_thread_create_with_prio(p_tid, start, arg, stack_size, BH_THREAD_DEFAULT_PRIORITY);
}

int os_thread_join(korp_tid thread, void **retval)
{
    (void)thread;
    (void)retval;
    return BHT_ERROR;
}

int os_thread_detach(korp_tid thread)
{
    (void)thread;
    return BHT_OK;
}

/* Only a spawned thread exits, and none can be spawned. */
void os_thread_exit(void *retval)
{
    (void)retval;
    abort();
}

int os_usleep(uint32 usec)
{
    uint64_t until = board_millis() + (usec + 999u) / 1000u;
    while (board_millis() < until) board_wait_for_interrupt();
    return 0;
}

void *os_mmap(void *hint, size_t size, int prot, int flags)
{
    (void)hint;
    (void)prot;
    (void)flags;
    return counted(malloc(size));
}

void os_munmap(void *addr, size_t size)
{
    (void)size;
    os_free(addr);
}

int os_mprotect(void *addr, size_t size, int prot)
{
    (void)addr;
    (void)size;
    (void)prot;
    return 0;
}

void os_dcache_flush(void)
{
}

/* The loader asks for WAMR's libc-builtin globals (not built: the ABI imports
 * functions only, and the load checks refuse global imports). */
bool wasm_native_lookup_libc_builtin_global(const char *module_name, const char *global_name,
                                            WASMGlobalImport *global)
{
    (void)module_name;
    (void)global_name;
    (void)global;
    return false;
}
