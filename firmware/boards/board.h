/* What the portable core and the application need from a board. Each board
 * (boards/<name>/) implements this with its start-up code, linker script,
 * interrupt controller, UART driver and timer. */
#ifndef WB_BOARD_H
#define WB_BOARD_H

#include <stdint.h>

typedef struct {
    const char *name;  /* "mps2-an385" */
    const char *cpu;   /* "cortex-m3" */
    const char *arch;  /* for Hello.arch: "thumbv7m", "riscv32imac" */
    uint32_t cpu_hz;
    uintptr_t ram_base;
    uint32_t ram_bytes;
    const char *uart;  /* e.g. "CMSDK APB UART0 (NVIC IRQ 0 rx, 1 tx)" */
    const char *timer; /* e.g. "SysTick 1 kHz" */
    const char *link;  /* the second serial port, the gateway link, e.g. "CMSDK APB UART1 ..." */
} board_info;

const board_info *board_get_info(void);

/* Interrupt controller, UART (115200 8N1 where it matters), 1 kHz tick; enables interrupts. */
void board_init(void);

/* Milliseconds since board_init, monotonic. */
uint64_t board_millis(void);

/* The board's finest free-running counter (cycles or timer ticks, wrapping),
 * sampled for timer jitter when seeding the RNG. */
uint32_t board_cycle_count(void);

/* Brings up the link UART (serial.h: wb_link), the byte transport to the
 * gateway. Returns 0, or -1 when the board has no link device. */
int board_link_init(void);

/* Masks interrupts and returns the previous state, for board_irq_restore. */
uint32_t board_irq_save(void);
void board_irq_restore(uint32_t state);

/* Sleeps until the next interrupt (the 1 kHz tick at the latest). */
void board_wait_for_interrupt(void);

/* Called by the board from its 1 kHz tick interrupt, after the clock is
 * updated. A weak no-op (boards/common/startup.c) unless the image links the
 * WebAssembly runtime, which enforces its CPU-time limit from here. */
void board_tick_hook(void);

/* Polled output that works with interrupts off, for fault reports. */
void board_panic_puts(const char *s);

/* Masks interrupts and stops the CPU for good (low power where possible). */
_Noreturn void board_halt(void);

/* Linker-defined regions (boards/common/sections.ld). */
extern uint8_t __provisioning_start[];
extern uint8_t __heap_start[];
extern uint8_t __heap_end[];
extern uint8_t __stack_bottom[];
extern uint8_t __stack_top[];

#endif
