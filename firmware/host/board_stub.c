/* Host stand-ins for the two board hooks core/serial.c calls: "transmitting"
 * moves the TX ring into a capture buffer, as the UART interrupt would. */
#include <string.h>

#include "board_stub.h"
#include "serial.h"

uint8_t stub_tx_capture[4096];
size_t stub_tx_len;
unsigned stub_kicks;

void board_uart_tx_kick(void)
{
    stub_kicks++;
    uint8_t b;
    while (wb_serial_isr_tx(&b)) {
        if (stub_tx_len < sizeof stub_tx_capture) stub_tx_capture[stub_tx_len++] = b;
    }
}

void board_wait_for_interrupt(void)
{
}
