/* NS16550A UART, interrupt-driven: the "received data" and "timeout" interrupts
 * drain the RX FIFO into the port's RX ring; the "transmitter empty" interrupt,
 * enabled only while there is something to send, refills the 16-byte TX FIFO.
 * Two instances: the console (the virt machine's UART0) and the link (a
 * pci-serial card, the same 16550 behind a PCI I/O BAR, see pci.c). The link
 * has flow control: with its RX ring full the RX interrupt is masked and the
 * bytes stay in the FIFO, and QEMU holds back the rest (on hardware: RTS/CTS). */
#include <stdbool.h>

#include "board.h"
#include "serial.h"
#include "virt.h"

#define RBR 0 /* read */
#define THR 0 /* write */
#define IER 1
#define IIR 2 /* read */
#define FCR 2 /* write */
#define LCR 3
#define MCR 4
#define LSR 5

#define IER_RX_DATA 0x01u
#define IER_TX_EMPTY 0x02u
#define IIR_NONE 0x01u
#define IIR_ID_MASK 0x0eu
#define IIR_TX_EMPTY 0x02u
#define IIR_RX_DATA 0x04u
#define IIR_LINE_STATUS 0x06u
#define IIR_RX_TIMEOUT 0x0cu
#define LSR_DATA_READY 0x01u
#define LSR_TX_EMPTY 0x20u
#define FIFO_BYTES 16

typedef struct {
    uintptr_t base;
    wb_serial_port *port;
    uint8_t ier;          /* what IER holds */
} uart;

static uart console_uart = {VIRT_UART0_BASE, &wb_console, 0};
static uart link_uart = {0, &wb_link, 0};

static volatile uint8_t *reg(const uart *u, unsigned off)
{
    return (volatile uint8_t *)(u->base + off);
}

static void set_ier(uart *u, uint8_t ier)
{
    u->ier = ier;
    *reg(u, IER) = ier;
}

static void start(uart *u)
{
    set_ier(u, 0);
    *reg(u, LCR) = 0x80; /* divisor latch: QEMU ignores the rate, set 1 for completeness */
    *reg(u, 0) = 1;
    *reg(u, 1) = 0;
    *reg(u, LCR) = 0x03; /* 8N1 */
    *reg(u, FCR) = 0x07; /* enable and clear both FIFOs */
    *reg(u, MCR) = 0x08; /* OUT2 gates the interrupt line on real 16550s */
    set_ier(u, IER_RX_DATA);
}

static void plic_enable(unsigned source)
{
    PLIC_PRIORITY(source) = 1;
    PLIC_ENABLE_CTX0_WORD(source / 32) |= 1u << (source % 32);
}

void uart_init(void)
{
    start(&console_uart);
    plic_enable(VIRT_UART0_IRQ);
}

static void take_rx(uart *u)
{
    while (*reg(u, LSR) & LSR_DATA_READY) {
        if (u->port->flow_control && !wb_port_isr_rx_room(u->port)) {
            /* Level-triggered: unless masked it would fire again at once. */
            set_ier(u, u->ier & (uint8_t)~IER_RX_DATA);
            wb_port_isr_rx_hold(u->port);
            return;
        }
        wb_port_isr_rx(u->port, *reg(u, RBR));
    }
}

static void isr(uart *u)
{
    for (;;) {
        uint8_t iir = *reg(u, IIR);
        if (iir & IIR_NONE) break;
        switch (iir & IIR_ID_MASK) {
        case IIR_RX_DATA:
        case IIR_RX_TIMEOUT:
            take_rx(u);
            wb_port_isr_count(u->port, 1, 0);
            break;
        case IIR_TX_EMPTY: {
            uint8_t byte;
            int n = 0;
            while (n < FIFO_BYTES && wb_port_isr_tx(u->port, &byte)) {
                *reg(u, THR) = byte;
                n++;
            }
            if (n == 0) set_ier(u, u->ier & (uint8_t)~IER_TX_EMPTY); /* nothing left: stop asking */
            wb_port_isr_count(u->port, 0, 1);
            break;
        }
        case IIR_LINE_STATUS:
            (void)*reg(u, LSR);
            break;
        default:
            (void)*reg(u, LSR);
            return;
        }
    }
}

void uart_isr(void)
{
    isr(&console_uart);
}

void link_uart_isr(void)
{
    isr(&link_uart);
}

static void kick(uart *u)
{
    uint32_t irq = board_irq_save();
    /* Enabling it raises the interrupt at once if THR is empty; while it is
     * enabled, the handler is already draining the ring. */
    if (!(u->ier & IER_TX_EMPTY)) set_ier(u, u->ier | IER_TX_EMPTY);
    board_irq_restore(irq);
}

void board_uart_tx_kick(void)
{
    kick(&console_uart);
}

static void link_kick(void)
{
    kick(&link_uart);
}

/* Unmasking RX raises the interrupt again at once if the FIFO holds data. */
static void link_resume(void)
{
    uint32_t irq = board_irq_save();
    wb_link.rx_held = false;
    set_ier(&link_uart, link_uart.ier | IER_RX_DATA);
    board_irq_restore(irq);
}

int board_link_init(void)
{
    uintptr_t base;
    unsigned irq;
    if (pci_serial_find(&base, &irq) != 0) return -1;
    link_uart.base = base;
    wb_link.tx_kick = link_kick;
    wb_link.rx_resume = link_resume;
    start(&link_uart);
    virt_link_irq = irq;
    plic_enable(irq);
    return 0;
}

void uart_panic_putc(char c)
{
    while (!(*reg(&console_uart, LSR) & LSR_TX_EMPTY)) {
    }
    *reg(&console_uart, THR) = (uint8_t)c;
}
