#ifndef WB_BOARD_STARTUP_H
#define WB_BOARD_STARTUP_H

#include <stdint.h>

/* Data/BSS/TLS initialization, then main(); boards jump here from reset. */
_Noreturn void wb_c_start(void);

/* Prints "FAULT <what>: name=0x........ ..." with polled output, then halts. */
_Noreturn void wb_fault_report(const char *what, const char *const *names, const uint32_t *values, int count);

#endif
