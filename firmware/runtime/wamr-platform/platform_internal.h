/* WAMR platform layer for Wasmbed's bare-metal boards (and the host test build):
 * one thread, picolibc (or the host's libc), time from board_millis(). The
 * WAMR sources (tools/fetch-wamr.sh) include this header through
 * platform_common.h; it only provides types and the libc headers they expect. */
#ifndef _PLATFORM_INTERNAL_H
#define _PLATFORM_INTERNAL_H

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef BH_PLATFORM_WASMBED
#define BH_PLATFORM_WASMBED
#endif

#define BH_APPLET_PRESERVED_STACK_SIZE (2 * BH_KB)
#define BH_THREAD_DEFAULT_PRIORITY 0

/* There is exactly one thread (the main loop); WAMR's thread manager is built
 * only for its suspend flags, which is how the CPU-time limit stops a run. */
typedef struct {
    int unused;
} korp_thread;
typedef korp_thread *korp_tid;
typedef struct {
    int unused;
} korp_mutex;
typedef struct {
    int unused;
} korp_cond;

#endif
