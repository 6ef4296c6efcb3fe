#include "board.h"
#include "cortex_m.h"
#include "mps2.h"
#include "serial.h"

/* CMSDK APB timer: a 32-bit down-counter at the 25 MHz APB clock. */
typedef struct {
    volatile uint32_t ctrl;
    volatile uint32_t value;
    volatile uint32_t reload;
    volatile uint32_t intstatus;
} cmsdk_timer;

#define TIMER0 ((cmsdk_timer *)MPS2_TIMER0_BASE)
#define TIMER_CTRL_ENABLE 1u
#define CYCLES_PER_MS (MPS2_SYSCLK_HZ / 1000u)

/* Time is read from TIMER0, free-running over all 32 bits, not counted in
 * SysTick interrupts: an emulator under load coalesces late periodic ticks, and
 * counted ticks would then lose time. SysTick only wakes the CPU (and folds the
 * counter in often enough to never miss a wrap, which takes 171 s). */
static uint32_t last_count;
static uint64_t elapsed_ms;
static uint32_t spare_cycles; /* < CYCLES_PER_MS */

static const board_info info = {
    .name = "mps2-an385",
    .cpu = "cortex-m3",
    .arch = "thumbv7m",
    .cpu_hz = MPS2_SYSCLK_HZ,
    .ram_base = 0x20000000u,
    .ram_bytes = 256u * 1024u,
    .uart = "CMSDK APB UART0 115200 8N1, NVIC IRQ 0 (rx) / 1 (tx)",
    .timer = "CMSDK APB TIMER0 25 MHz free-running (time), SysTick 1 kHz (wake-up)",
    .link = "CMSDK APB UART1 115200 8N1, NVIC IRQ 2 (rx) / 3 (tx), second -serial",
};

const board_info *board_get_info(void)
{
    return &info;
}

/* Folds the cycles since the last call into elapsed_ms; interrupts masked. */
static void timer_fold(void)
{
    uint32_t now = TIMER0->value;
    uint32_t cycles = last_count - now; /* counting down, modulo 2^32 */
    last_count = now;
    elapsed_ms += cycles / CYCLES_PER_MS;
    spare_cycles += cycles % CYCLES_PER_MS;
    if (spare_cycles >= CYCLES_PER_MS) {
        spare_cycles -= CYCLES_PER_MS;
        elapsed_ms++;
    }
}

void systick_handler(void)
{
    timer_fold();
    board_tick_hook();
}

void board_init(void)
{
    wb_serial_init();
    uart_init();
    TIMER0->reload = 0xffffffffu;
    TIMER0->value = 0xffffffffu;
    TIMER0->ctrl = TIMER_CTRL_ENABLE;
    last_count = TIMER0->value;
    SYST_RVR = MPS2_SYSCLK_HZ / 1000u - 1u;
    SYST_CVR = 0;
    SYST_CSR = SYST_CSR_CLKSOURCE | SYST_CSR_TICKINT | SYST_CSR_ENABLE;
    __asm__ volatile("cpsie i" ::: "memory");
}

uint64_t board_millis(void)
{
    uint32_t irq = board_irq_save();
    timer_fold();
    uint64_t t = elapsed_ms;
    board_irq_restore(irq);
    return t;
}

uint32_t board_cycle_count(void)
{
    return ~TIMER0->value; /* counts down */
}

uint32_t board_irq_save(void)
{
    uint32_t primask;
    __asm__ volatile("mrs %0, primask\n cpsid i" : "=r"(primask)::"memory");
    return primask;
}

void board_irq_restore(uint32_t state)
{
    __asm__ volatile("msr primask, %0" ::"r"(state) : "memory");
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
    __asm__ volatile("cpsid i" ::: "memory");
    for (;;) __asm__ volatile("wfi");
}
