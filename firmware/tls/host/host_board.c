/* The board API on the host, for tls_test and tls_probe: real monotonic time,
 * nanosecond counter for jitter, a 1 ms sleep for "wait for interrupt". The
 * console is the process's stdout (printf), so the console port is unused. */
#define _POSIX_C_SOURCE 200809L
#include <time.h>

#include "board.h"
#include "serial.h"

uint8_t __heap_start[1];
uint8_t __heap_end[1];

static const board_info info = {
    .name = "host",
    .cpu = "host",
    .arch = "x86_64",
    .cpu_hz = 0,
    .ram_base = 0,
    .ram_bytes = 256u * 1024u,
    .uart = "stdout",
    .timer = "CLOCK_MONOTONIC",
    .link = "TCP socket",
};

const board_info *board_get_info(void)
{
    return &info;
}

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

uint64_t board_millis(void)
{
    static uint64_t start;
    if (start == 0) start = now_ns();
    return (now_ns() - start) / 1000000u;
}

uint32_t board_cycle_count(void)
{
    return (uint32_t)now_ns();
}

void board_wait_for_interrupt(void)
{
    struct timespec ms = {0, 1000000};
    nanosleep(&ms, NULL);
}

void board_uart_tx_kick(void)
{
    uint8_t b;
    while (wb_serial_isr_tx(&b)) {
    }
}

int board_link_init(void)
{
    return -1;
}

uint32_t board_irq_save(void)
{
    return 0;
}

void board_irq_restore(uint32_t state)
{
    (void)state;
}
