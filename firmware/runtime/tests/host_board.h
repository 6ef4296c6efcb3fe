/* The board API on the host, for the runtime's tests: a millisecond clock, a
 * 1 kHz tick from a POSIX interval timer (SIGALRM plays the timer interrupt
 * and calls board_tick_hook, as the boards do), interrupt masking as signal
 * masking. Sleeps can skip ahead instead of waiting. */
#ifndef WB_RUNTIME_HOST_BOARD_H
#define WB_RUNTIME_HOST_BOARD_H

#include <stdbool.h>
#include <stdint.h>

typedef enum {
    /* board_millis: real monotonic time plus the time skipped by sleeps. CPU
     * time is real: the CPU-time limit works. */
    HOST_CLOCK_SKIP_SLEEPS,
    /* board_millis: only the time skipped by sleeps, as the reference host's
     * virtual clock: runs are deterministic, CPU time is always 0. */
    HOST_CLOCK_VIRTUAL,
} host_clock_mode;

/* Starts the tick; call once before any run. */
void host_board_start(host_clock_mode mode);

/* Switches the clock between runs (the virtual clock keeps the skipped time). */
void host_board_set_clock(host_clock_mode mode);

/* Also calls fn from the tick (NULL: nothing), as another interrupt handler would. */
void host_board_on_tick(void (*fn)(void));

/* Moves the clock to `until_ms` at once (an idle hook that sleeps instantly). */
void host_board_skip_to(uint64_t until_ms);

#endif
