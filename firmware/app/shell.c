/* Line console on the serial port: characters are echoed as they arrive (from
 * the RX interrupt's ring; nothing polls the UART), a line runs a command. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "board.h"
#include "device.h"
#include "gateway_link.h"
#include "serial.h"
#include "tls_client.h"

#define LINE_MAX 128

static void cmd_help(void)
{
    printf("commands: uptime, stats, stack, hello, help; any other line is echoed back\n");
}

static void cmd_stats(void)
{
    const wb_serial_stats *s = wb_serial_stats_get();
    printf("serial: rx_irqs=%" PRIu32 " tx_irqs=%" PRIu32 " rx_bytes=%" PRIu32 " tx_bytes=%" PRIu32
           " rx_overruns=%" PRIu32 "\n",
           s->rx_irqs, s->tx_irqs, s->rx_bytes, s->tx_bytes, s->rx_overruns);
}

static void cmd_hello(void)
{
    static uint8_t frame[512];
    size_t len = device_hello_frame(frame, sizeof frame);
    printf("hello-frame: ");
    for (size_t i = 0; i < len; i++) printf("%02x", frame[i]);
    printf("\n");
}

static void run(const char *line)
{
    if (strcmp(line, "uptime") == 0) {
        printf("uptime: %" PRIu32 " ms\n", (uint32_t)board_millis());
    } else if (strcmp(line, "stats") == 0) {
        cmd_stats();
    } else if (strcmp(line, "stack") == 0) {
        printf("stack: main stack peak %u of %u bytes; TLS heap %u bytes, peak %u since the last connection\n",
               (unsigned)gateway_link_stack_peak(), (unsigned)(__stack_top - __stack_bottom),
               (unsigned)wb_tls_heap_in_use(), (unsigned)wb_tls_heap_peak());
    } else if (strcmp(line, "hello") == 0) {
        cmd_hello();
    } else if (strcmp(line, "help") == 0) {
        cmd_help();
    } else if (line[0] != '\0') {
        printf("echo: %s\n", line);
    }
}

static char line[LINE_MAX + 1];
static size_t len;
static uint8_t prev;

/* Takes what the RX interrupt delivered; runs a command per complete line. */
void device_shell_poll(void)
{
    uint8_t c;
    while (wb_serial_read(&c, 1) == 1) {
        if (c == '\n' && prev == '\r') {
            prev = c;
            continue; /* CR LF is one line end */
        }
        prev = c;
        if (c == '\r' || c == '\n') {
            printf("\n");
            line[len] = '\0';
            run(line);
            len = 0;
            printf("> ");
        } else if (c == 0x7f || c == '\b') {
            if (len > 0) {
                len--;
                printf("\b \b");
            }
        } else if (c >= 0x20 && c < 0x7f && len < LINE_MAX) {
            line[len++] = (char)c;
            putchar(c);
        }
    }
}
