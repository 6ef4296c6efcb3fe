/* QEMU mps2-an385 (hw/arm/mps2.c): 25 MHz system clock, CMSDK APB UART0 at
 * 0x40004000 with its RX interrupt on IRQ 0 and TX on IRQ 1 (UART1 at 0x40005000:
 * IRQ 2 and 3; QEMU's n-th -serial is UARTn), CMSDK APB TIMER0
 * at 0x40000000 clocked at 25 MHz. */
#ifndef WB_MPS2_H
#define WB_MPS2_H

#define MPS2_SYSCLK_HZ 25000000u
#define MPS2_UART0_BASE 0x40004000u
#define MPS2_UART0_RX_IRQ 0
#define MPS2_UART0_TX_IRQ 1
#define MPS2_UART1_BASE 0x40005000u /* the link: RX on IRQ 2, TX on IRQ 3 */
#define MPS2_UART1_RX_IRQ 2
#define MPS2_UART1_TX_IRQ 3
#define MPS2_TIMER0_BASE 0x40000000u

void systick_handler(void);
void uart0_rx_handler(void);
void uart0_tx_handler(void);
void uart1_rx_handler(void);
void uart1_tx_handler(void);
void uart_init(void);
void uart_panic_putc(char c);

#endif
