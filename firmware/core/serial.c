#include "serial.h"

static uint8_t console_rx[WB_SERIAL_RX_BYTES];
static uint8_t console_tx[WB_SERIAL_TX_BYTES];
wb_serial_port wb_console;

static uint8_t link_rx[WB_LINK_RX_BYTES];
static uint8_t link_tx[WB_LINK_TX_BYTES];
wb_serial_port wb_link;

static void port_init(wb_serial_port *port, uint8_t *rx, uint32_t rx_bytes, uint8_t *tx, uint32_t tx_bytes,
                      void (*kick)(void), bool flow_control)
{
    *port = (wb_serial_port){.tx_kick = kick, .flow_control = flow_control};
    wb_ring_init(&port->rx, rx, rx_bytes);
    wb_ring_init(&port->tx, tx, tx_bytes);
}

/* Both rings are reset; board_link_init sets the link's hooks after this. */
void wb_serial_init(void)
{
    port_init(&wb_console, console_rx, sizeof console_rx, console_tx, sizeof console_tx, board_uart_tx_kick, false);
    port_init(&wb_link, link_rx, sizeof link_rx, link_tx, sizeof link_tx, NULL, true);
}

size_t wb_port_read(wb_serial_port *port, uint8_t *buf, size_t len)
{
    size_t n = 0;
    while (n < len && wb_ring_get(&port->rx, &buf[n])) n++;
    if (port->rx_held && n > 0 && port->rx_resume != NULL) port->rx_resume();
    return n;
}

size_t wb_port_rx_available(const wb_serial_port *port)
{
    return wb_ring_used(&port->rx);
}

size_t wb_port_write_some(wb_serial_port *port, const uint8_t *buf, size_t len)
{
    size_t n = 0;
    while (n < len && wb_ring_put(&port->tx, buf[n])) n++;
    if (n > 0) port->tx_kick();
    return n;
}

void wb_port_write(wb_serial_port *port, const uint8_t *buf, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        while (!wb_ring_put(&port->tx, buf[i])) {
            port->tx_kick();
            board_wait_for_interrupt();
        }
    }
    port->tx_kick();
}

void wb_port_flush(wb_serial_port *port)
{
    while (wb_ring_used(&port->tx) > 0) {
        port->tx_kick();
        board_wait_for_interrupt();
    }
}

void wb_port_isr_rx(wb_serial_port *port, uint8_t byte)
{
    port->stats.rx_bytes++;
    if (!wb_ring_put(&port->rx, byte)) port->stats.rx_overruns++;
}

bool wb_port_isr_rx_room(const wb_serial_port *port)
{
    return wb_ring_used(&port->rx) <= port->rx.mask;
}

void wb_port_isr_rx_hold(wb_serial_port *port)
{
    if (!port->rx_held) port->stats.rx_holds++;
    port->rx_held = true;
}

int wb_port_isr_tx(wb_serial_port *port, uint8_t *byte)
{
    if (!wb_ring_get(&port->tx, byte)) return 0;
    port->stats.tx_bytes++;
    return 1;
}

void wb_port_isr_count(wb_serial_port *port, int rx, int tx)
{
    if (rx) port->stats.rx_irqs++;
    if (tx) port->stats.tx_irqs++;
}

size_t wb_serial_read(uint8_t *buf, size_t len)
{
    return wb_port_read(&wb_console, buf, len);
}

void wb_serial_write(const uint8_t *buf, size_t len)
{
    wb_port_write(&wb_console, buf, len);
}

void wb_serial_flush(void)
{
    wb_port_flush(&wb_console);
}

const wb_serial_stats *wb_serial_stats_get(void)
{
    return &wb_console.stats;
}

void wb_serial_isr_rx(uint8_t byte)
{
    wb_port_isr_rx(&wb_console, byte);
}

int wb_serial_isr_tx(uint8_t *byte)
{
    return wb_port_isr_tx(&wb_console, byte);
}

void wb_serial_isr_count(int rx, int tx)
{
    wb_port_isr_count(&wb_console, rx, tx);
}
