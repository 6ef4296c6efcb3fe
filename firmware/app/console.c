/* picolibc stdio on the interrupt-driven serial port: printf goes through the
 * TX ring, "\n" becomes "\r\n" for terminals. */
#include <stdio.h>

#include "serial.h"

static int console_put(char c, FILE *file)
{
    (void)file;
    if (c == '\n') {
        static const uint8_t cr = '\r';
        wb_serial_write(&cr, 1);
    }
    uint8_t b = (uint8_t)c;
    wb_serial_write(&b, 1);
    return (unsigned char)c;
}

static int console_get(FILE *file)
{
    (void)file;
    uint8_t b;
    while (wb_serial_read(&b, 1) == 0) board_wait_for_interrupt();
    return b;
}

static FILE console = FDEV_SETUP_STREAM(console_put, console_get, NULL, _FDEV_SETUP_RW);

FILE *const stdin = &console;
FILE *const stdout = &console;
FILE *const stderr = &console;
