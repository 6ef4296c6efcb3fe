/* Vector table and reset: handlers run on the main stack pointer (MSP, the
 * 4 KiB .isr_stack at the bottom of RAM), the application in thread mode on the
 * process stack pointer (PSP, the top of RAM), so a fault taken while the
 * application's stack is broken still has a stack to report it on. */
#include <stdint.h>

#include "board.h"
#include "common/startup.h"
#include "cortex_m.h"
#include "mps2.h"

extern uint8_t __isr_stack_top[];

typedef void (*vector)(void);

void reset_handler(void);
void fault_handler(void);
void fault_dispatch(const uint32_t *frame, uint32_t exc_return);
static void unexpected_handler(void);

__attribute__((naked, noreturn)) void reset_handler(void)
{
    __asm__ volatile(
        "ldr r0, =__stack_top\n"
        "msr psp, r0\n"
        "movs r0, #2\n" /* CONTROL.SPSEL: thread mode on PSP */
        "msr control, r0\n"
        "isb\n"
        "b wb_c_start\n");
}

/* Hands the stacked exception frame (on MSP or PSP) to fault_dispatch. */
__attribute__((naked)) void fault_handler(void)
{
    __asm__ volatile(
        "tst lr, #4\n"
        "ite eq\n"
        "mrseq r0, msp\n"
        "mrsne r0, psp\n"
        "mov r1, lr\n"
        "b fault_dispatch\n");
}

void fault_dispatch(const uint32_t *frame, uint32_t exc_return)
{
    static const char *const names[] = {"pc", "lr", "xpsr", "cfsr", "hfsr", "bfar", "mmfar", "exc_return"};
    uint32_t values[] = {frame[6], frame[5], frame[7], SCB_CFSR, SCB_HFSR, SCB_BFAR, SCB_MMFAR, exc_return};
    wb_fault_report("cortex-m fault", names, values, (int)(sizeof values / sizeof values[0]));
}

static void unexpected_handler(void)
{
    uint32_t ipsr;
    __asm__ volatile("mrs %0, ipsr" : "=r"(ipsr));
    static const char *const names[] = {"exception"};
    wb_fault_report("unexpected interrupt", names, &ipsr, 1);
}

#define IRQ_VECTORS 32

__attribute__((section(".vectors"), used)) static const vector vector_table[16 + IRQ_VECTORS] = {
    [0] = (vector)(uintptr_t)__isr_stack_top,
    [1] = reset_handler,
    [2] = unexpected_handler, /* NMI */
    [3] = fault_handler,      /* HardFault */
    [4] = fault_handler,      /* MemManage */
    [5] = fault_handler,      /* BusFault */
    [6] = fault_handler,      /* UsageFault */
    [11] = unexpected_handler, /* SVCall */
    [12] = unexpected_handler, /* DebugMonitor */
    [14] = unexpected_handler, /* PendSV */
    [15] = systick_handler,
    [16 + MPS2_UART0_RX_IRQ] = uart0_rx_handler,
    [16 + MPS2_UART0_TX_IRQ] = uart0_tx_handler,
    [16 + MPS2_UART1_RX_IRQ] = uart1_rx_handler,
    [16 + MPS2_UART1_TX_IRQ] = uart1_tx_handler,
};
