/* Arm CMSDK APB UART, interrupt-driven: RX interrupt per received byte into the
 * port's RX ring; TX interrupt when the 1-byte transmit buffer has emptied,
 * which sends the next byte from the TX ring. The TX interrupt only follows a
 * write, so an idle transmitter is started by writing the first byte (kick).
 * UART0 is the console, UART1 the link to the gateway. The link has flow
 * control: with its RX ring full the byte stays in the UART, whose RXFULL flag
 * makes QEMU hold back the rest (on hardware: RTS/CTS). */
#include <stdbool.h>

#include "board.h"
#include "cortex_m.h"
#include "mps2.h"
#include "serial.h"

typedef struct {
    volatile uint32_t data;
    volatile uint32_t state;
    volatile uint32_t ctrl;
    volatile uint32_t intstatus; /* write 1 to clear */
    volatile uint32_t bauddiv;
} cmsdk_uart;

#define STATE_TX_FULL 1u
#define STATE_RX_FULL 2u
#define CTRL_TX_EN 1u
#define CTRL_RX_EN 2u
#define CTRL_TX_INT_EN 4u
#define CTRL_RX_INT_EN 8u
#define INT_TX 1u
#define INT_RX 2u

typedef struct {
    cmsdk_uart *regs;
    wb_serial_port *port;
    unsigned rx_irq;
    volatile bool tx_active;
} uart;

static uart console_uart = {(cmsdk_uart *)MPS2_UART0_BASE, &wb_console, MPS2_UART0_RX_IRQ, false};
static uart link_uart = {(cmsdk_uart *)MPS2_UART1_BASE, &wb_link, MPS2_UART1_RX_IRQ, false};

static void start(uart *u)
{
    u->regs->bauddiv = MPS2_SYSCLK_HZ / 115200u; /* QEMU refuses to transmit below 16 */
    u->regs->intstatus = INT_TX | INT_RX;
    u->regs->ctrl = CTRL_TX_EN | CTRL_RX_EN | CTRL_TX_INT_EN | CTRL_RX_INT_EN;
    nvic_enable(u->rx_irq);
    nvic_enable(u->rx_irq + 1); /* TX is always the next IRQ */
}

void uart_init(void)
{
    start(&console_uart);
}

/* Drains the UART into the ring while there is room; true if it is empty. */
static bool take_rx(uart *u)
{
    while (u->regs->state & STATE_RX_FULL) {
        if (u->port->flow_control && !wb_port_isr_rx_room(u->port)) {
            wb_port_isr_rx_hold(u->port);
            return false;
        }
        wb_port_isr_rx(u->port, (uint8_t)u->regs->data);
    }
    return true;
}

static void rx_isr(uart *u)
{
    /* Clear first: a byte arriving while we drain raises the interrupt again. */
    u->regs->intstatus = INT_RX;
    (void)take_rx(u);
    wb_port_isr_count(u->port, 1, 0);
}

static void tx_isr(uart *u)
{
    u->regs->intstatus = INT_TX;
    uint8_t byte;
    if (wb_port_isr_tx(u->port, &byte)) {
        u->regs->data = byte;
    } else {
        u->tx_active = false;
    }
    wb_port_isr_count(u->port, 0, 1);
}

static void kick(uart *u)
{
    uint32_t irq = board_irq_save();
    uint8_t byte;
    if (!u->tx_active && wb_port_isr_tx(u->port, &byte)) {
        u->tx_active = true;
        u->regs->data = byte;
    }
    board_irq_restore(irq);
}

void uart0_rx_handler(void)
{
    rx_isr(&console_uart);
}

void uart0_tx_handler(void)
{
    tx_isr(&console_uart);
}

void uart1_rx_handler(void)
{
    rx_isr(&link_uart);
}

void uart1_tx_handler(void)
{
    tx_isr(&link_uart);
}

void board_uart_tx_kick(void)
{
    kick(&console_uart);
}

static void link_kick(void)
{
    kick(&link_uart);
}

/* The byte left in the UART raises no new interrupt (QEMU latches RX status
 * only on reception), so the main loop takes it here once there is room. */
static void link_resume(void)
{
    uint32_t irq = board_irq_save();
    if (take_rx(&link_uart)) wb_link.rx_held = false;
    board_irq_restore(irq);
}

int board_link_init(void)
{
    wb_link.tx_kick = link_kick;
    wb_link.rx_resume = link_resume;
    start(&link_uart);
    return 0;
}

void uart_panic_putc(char c)
{
    while (console_uart.regs->state & STATE_TX_FULL) {
    }
    console_uart.regs->data = (uint8_t)c;
}
