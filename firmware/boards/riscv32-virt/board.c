#include "board.h"
#include "serial.h"
#include "virt.h"

#define TICK (VIRT_MTIME_HZ / 1000u)

static uint64_t boot_mtime;
static uint64_t next_tick;

static const board_info info = {
    .name = "riscv32-virt",
    .cpu = "rv32imac",
    .arch = "riscv32imac",
    .cpu_hz = 0, /* QEMU TCG: no fixed core clock */
    .ram_base = 0x80400000u,
    .ram_bytes = 256u * 1024u,
    .uart = "NS16550A UART0 8N1, PLIC source 10",
    .timer = "CLINT mtime 10 MHz, mtimecmp tick 1 kHz",
    .link = "pci-serial (NS16550A) on PCIe, I/O BAR 0x1000, PLIC source 32-35 by slot",
};

const board_info *board_get_info(void)
{
    return &info;
}

static uint64_t mtime(void)
{
    uint32_t hi, lo;
    do {
        hi = CLINT_MTIME_HI;
        lo = CLINT_MTIME_LO;
    } while (hi != CLINT_MTIME_HI);
    return ((uint64_t)hi << 32) | lo;
}

static void set_mtimecmp(uint64_t t)
{
    /* No transient value below both the old and the new one. */
    CLINT_MTIMECMP_HI = 0xffffffffu;
    CLINT_MTIMECMP_LO = (uint32_t)t;
    CLINT_MTIMECMP_HI = (uint32_t)(t >> 32);
}

void timer_isr(void)
{
    uint64_t now = mtime();
    next_tick += TICK;
    if (next_tick <= now) next_tick = now + TICK; /* missed ticks are not replayed */
    set_mtimecmp(next_tick);
    board_tick_hook();
}

void board_init(void)
{
    wb_serial_init();
    uart_init();
    PLIC_THRESHOLD_CTX0 = 0;
    boot_mtime = mtime();
    next_tick = boot_mtime + TICK;
    set_mtimecmp(next_tick);
    __asm__ volatile("csrs mie, %0" ::"r"(MIE_MTIE | MIE_MEIE));
    __asm__ volatile("csrs mstatus, %0" ::"r"(MSTATUS_MIE) : "memory");
}

uint64_t board_millis(void)
{
    /* mtime itself is the monotonic clock; the tick only wakes the CPU. */
    return (mtime() - boot_mtime) / TICK;
}

uint32_t board_cycle_count(void)
{
    return CLINT_MTIME_LO;
}

uint32_t board_irq_save(void)
{
    uint32_t mstatus;
    __asm__ volatile("csrrci %0, mstatus, 8" : "=r"(mstatus)::"memory");
    return mstatus & MSTATUS_MIE;
}

void board_irq_restore(uint32_t state)
{
    if (state & MSTATUS_MIE) __asm__ volatile("csrsi mstatus, 8" ::: "memory");
}

void board_wait_for_interrupt(void)
{
    __asm__ volatile("wfi" ::: "memory");
}

void board_panic_puts(const char *s)
{
    while (*s) uart_panic_putc(*s++);
}

_Noreturn void board_halt(void)
{
    __asm__ volatile("csrw mie, zero\n csrci mstatus, 8" ::: "memory");
    for (;;) __asm__ volatile("wfi");
}
