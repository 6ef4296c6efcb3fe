/* QEMU virt machine (hw/riscv/virt.c): CLINT (ACLINT) at 0x02000000 with a
 * 10 MHz mtime, PLIC at 0x0c000000 (context 0 = hart 0 machine mode), NS16550A
 * UART0 at 0x10000000 on PLIC source 10. The link is a pci-serial card on the
 * PCIe host (QEMU has one NS16550 on virt; -device pci-serial adds another). */
#ifndef WB_VIRT_H
#define WB_VIRT_H

#include <stdint.h>

#define REG32(addr) (*(volatile uint32_t *)(addr))

#define VIRT_MTIME_HZ 10000000u
#define CLINT_MTIMECMP_LO REG32(0x02004000u)
#define CLINT_MTIMECMP_HI REG32(0x02004004u)
#define CLINT_MTIME_LO REG32(0x0200bff8u)
#define CLINT_MTIME_HI REG32(0x0200bffcu)

#define PLIC_PRIORITY(src) REG32(0x0c000000u + 4u * (src))
#define PLIC_ENABLE_CTX0 REG32(0x0c002000u)
#define PLIC_ENABLE_CTX0_WORD(n) REG32(0x0c002000u + 4u * (n))
#define PLIC_THRESHOLD_CTX0 REG32(0x0c200000u)
#define PLIC_CLAIM_CTX0 REG32(0x0c200004u)

#define VIRT_UART0_BASE 0x10000000u
#define VIRT_UART0_IRQ 10u

/* PCIe (generic ECAM host): config space, the I/O window (PCI I/O address 0
 * at CPU 0x03000000, 64 KiB) and the four INTx lines on PLIC 32-35, swizzled
 * by slot as in the device tree's interrupt-map. */
#define VIRT_PCIE_ECAM 0x30000000u
#define VIRT_PCIE_PIO 0x03000000u
#define VIRT_PCIE_IRQ 32u

#define MCAUSE_INTERRUPT 0x80000000u
#define IRQ_M_TIMER 7u
#define IRQ_M_EXTERNAL 11u
#define MIE_MTIE (1u << IRQ_M_TIMER)
#define MIE_MEIE (1u << IRQ_M_EXTERNAL)
#define MSTATUS_MIE 8u

void uart_init(void);
void uart_isr(void);
void uart_panic_putc(char c);
void timer_isr(void);
void link_uart_isr(void);
/* PLIC source of the link UART, 0 until board_link_init found it. */
extern unsigned virt_link_irq;
/* Finds QEMU's pci-serial (1b36:0002) on bus 0, maps its I/O BAR and enables
 * it. Returns 0 with the register base and PLIC source, -1 when absent. */
int pci_serial_find(uintptr_t *base, unsigned *irq);
void trap_handler(uint32_t mcause, uint32_t mepc, uint32_t mtval);

#endif
