/* What the platform layer tells the runtime beyond WAMR's own interface. */
#ifndef WB_WAMR_PLATFORM_H
#define WB_WAMR_PLATFORM_H

#include <stdint.h>

/* Allocations WAMR asked for and did not get, since boot: lets the runtime
 * tell "the device ran out of RAM" from "the module is invalid" when the
 * loader fails. */
extern volatile uint32_t wb_platform_alloc_failures;

/* Heap WAMR holds now and the most it has held (usable sizes of its blocks):
 * footprint figures. Reset the peak by assigning it the current use. */
extern uint32_t wb_platform_heap_in_use;
extern uint32_t wb_platform_heap_peak;

#endif
