/* Machine-mode trap dispatch: the CLINT timer, PLIC external interrupts (the
 * console UART and the link's pci-serial), and everything else reported as a fault. */
#include "common/startup.h"
#include "virt.h"

static void external_isr(void)
{
    uint32_t source;
    while ((source = PLIC_CLAIM_CTX0) != 0) {
        if (source == VIRT_UART0_IRQ) uart_isr();
        if (source == virt_link_irq) link_uart_isr();
        PLIC_CLAIM_CTX0 = source; /* complete */
    }
}

void trap_handler(uint32_t mcause, uint32_t mepc, uint32_t mtval)
{
    if (mcause == (MCAUSE_INTERRUPT | IRQ_M_TIMER)) {
        timer_isr();
    } else if (mcause == (MCAUSE_INTERRUPT | IRQ_M_EXTERNAL)) {
        external_isr();
    } else {
        static const char *const names[] = {"mcause", "mepc", "mtval"};
        const uint32_t values[] = {mcause, mepc, mtval};
        wb_fault_report("risc-v trap", names, values, 3);
    }
}
