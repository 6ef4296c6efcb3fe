/* Interrupt-driven serial ports, shared by every board: a board's UART driver
 * moves bytes between the hardware and a port's two rings from its interrupt
 * handler; the main loop reads and writes the rings.
 *
 * Two ports: the console (wb_serial_*, the board's first UART: boot report,
 * logs, shell) and the link (wb_link, a second UART carrying the gateway
 * connection, relayed unchanged to the gateway's TLS port by a bridge). */
#ifndef WB_SERIAL_H
#define WB_SERIAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ring.h"

#define WB_SERIAL_RX_BYTES 256u
#define WB_SERIAL_TX_BYTES 1024u
#define WB_LINK_RX_BYTES 2048u
#define WB_LINK_TX_BYTES 1024u

typedef struct {
    uint32_t rx_irqs;     /* interrupts that delivered received bytes */
    uint32_t tx_irqs;     /* interrupts that asked for more bytes to send */
    uint32_t rx_bytes;
    uint32_t tx_bytes;
    uint32_t rx_overruns; /* bytes dropped because the RX ring was full */
    uint32_t rx_holds;    /* times the driver left bytes in the UART because the RX ring was full */
} wb_serial_stats;

typedef struct {
    wb_ring rx;
    wb_ring tx;
    wb_serial_stats stats;
    void (*tx_kick)(void);   /* board: start transmitting if the UART is idle */
    void (*rx_resume)(void); /* board: take the bytes held back in the UART, with flow_control */
    bool flow_control;       /* full RX ring: hold bytes in the UART (else drop and count them) */
    volatile bool rx_held;   /* the driver stopped taking bytes: the ring was full */
} wb_serial_port;

/* Main loop side of any port. read never blocks; write blocks (sleeping
 * between interrupts) until every byte is queued, so it must not be called
 * with interrupts disabled; write_some queues what fits and returns the count. */
size_t wb_port_read(wb_serial_port *port, uint8_t *buf, size_t len);
void wb_port_write(wb_serial_port *port, const uint8_t *buf, size_t len);
size_t wb_port_write_some(wb_serial_port *port, const uint8_t *buf, size_t len);
size_t wb_port_rx_available(const wb_serial_port *port);
/* Waits until the TX ring is empty (the hardware may still hold a byte or a FIFO). */
void wb_port_flush(wb_serial_port *port);

/* Interrupt side, for UART drivers. isr_rx drops and counts a byte when the
 * ring is full; for a port with flow_control the driver checks isr_rx_room
 * first and, when there is none, leaves the byte in the UART and calls
 * isr_rx_hold: the next read calls the port's rx_resume once room is back. */
void wb_port_isr_rx(wb_serial_port *port, uint8_t byte);
bool wb_port_isr_rx_room(const wb_serial_port *port);
void wb_port_isr_rx_hold(wb_serial_port *port);
/* Next byte to transmit; 0 when the ring is empty. */
int wb_port_isr_tx(wb_serial_port *port, uint8_t *byte);
void wb_port_isr_count(wb_serial_port *port, int rx, int tx);

/* The console port (drops on overrun), and the link port (flow control; usable
 * once board_link_init() has succeeded). */
extern wb_serial_port wb_console;
extern wb_serial_port wb_link;

/* The console port through the original single-port API. */
void wb_serial_init(void);
size_t wb_serial_read(uint8_t *buf, size_t len);
void wb_serial_write(const uint8_t *buf, size_t len);
void wb_serial_flush(void);
const wb_serial_stats *wb_serial_stats_get(void);
void wb_serial_isr_rx(uint8_t byte);
int wb_serial_isr_tx(uint8_t *byte);
void wb_serial_isr_count(int rx, int tx);

/* Provided by the board: start transmitting on the console UART if idle. */
void board_uart_tx_kick(void);
/* Provided by the board: sleep until the next interrupt. */
void board_wait_for_interrupt(void);

#endif
