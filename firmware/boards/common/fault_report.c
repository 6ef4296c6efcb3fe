#include "board.h"
#include "common/startup.h"

static void put_hex(uint32_t v)
{
    char s[11] = "0x";
    for (int i = 0; i < 8; i++) s[2 + i] = "0123456789abcdef"[(v >> (28 - 4 * i)) & 0xf];
    s[10] = '\0';
    board_panic_puts(s);
}

_Noreturn void wb_fault_report(const char *what, const char *const *names, const uint32_t *values, int count)
{
    (void)board_irq_save();
    board_panic_puts("\r\nFAULT ");
    board_panic_puts(what);
    board_panic_puts(":");
    for (int i = 0; i < count; i++) {
        board_panic_puts(" ");
        board_panic_puts(names[i]);
        board_panic_puts("=");
        put_hex(values[i]);
    }
    board_panic_puts("\r\nhalted\r\n");
    board_halt();
}
