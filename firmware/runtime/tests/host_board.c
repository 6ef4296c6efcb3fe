#define _POSIX_C_SOURCE 200809L
#include "host_board.h"

#include <signal.h>
#include <stdlib.h>
#include <sys/time.h>
#include <time.h>

#include "board.h"

static host_clock_mode clock_mode;
static uint64_t boot_ns;
static volatile uint64_t skipped_ms;

static uint64_t real_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ((uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec - boot_ns) / 1000000u;
}

uint64_t board_millis(void)
{
    return (clock_mode == HOST_CLOCK_VIRTUAL ? 0 : real_ms()) + skipped_ms;
}

void host_board_skip_to(uint64_t until_ms)
{
    uint64_t now = board_millis();
    if (until_ms > now) skipped_ms += until_ms - now;
}

static void (*volatile tick_extra)(void);

static void on_tick(int signo)
{
    (void)signo;
    board_tick_hook();
    void (*fn)(void) = tick_extra;
    if (fn != NULL) fn();
}

void host_board_on_tick(void (*fn)(void))
{
    tick_extra = fn;
}

void host_board_set_clock(host_clock_mode mode)
{
    clock_mode = mode;
}

void host_board_start(host_clock_mode mode)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    boot_ns = (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
    clock_mode = mode;
    struct sigaction sa = {0};
    sa.sa_handler = on_tick;
    sa.sa_flags = SA_RESTART;
    sigemptyset(&sa.sa_mask);
    if (sigaction(SIGALRM, &sa, NULL) != 0) abort();
    struct itimerval tick = {.it_interval = {0, 1000}, .it_value = {0, 1000}};
    if (setitimer(ITIMER_REAL, &tick, NULL) != 0) abort();
}

uint32_t board_irq_save(void)
{
    sigset_t alarm, old;
    sigemptyset(&alarm);
    sigaddset(&alarm, SIGALRM);
    sigprocmask(SIG_BLOCK, &alarm, &old);
    return sigismember(&old, SIGALRM) ? 1u : 0u;
}

void board_irq_restore(uint32_t state)
{
    if (state) return;
    sigset_t alarm;
    sigemptyset(&alarm);
    sigaddset(&alarm, SIGALRM);
    sigprocmask(SIG_UNBLOCK, &alarm, NULL);
}

void board_wait_for_interrupt(void)
{
    struct timespec pause = {0, 100000};
    nanosleep(&pause, NULL);
}
