/* C run-time start shared by all boards, entered from each board's reset code
 * with a valid stack: initialize .data/.tdata, zero .tbss/.bss, set the TLS
 * pointer picolibc uses (errno), run constructors, then main. */
#include <stdint.h>
#include <string.h>

#include "board.h"
#include "common/startup.h"

extern uint8_t __data_start[], __data_end[], __data_source[];
extern uint8_t __tbss_start[], __bss_end[];
extern uint8_t __tls_base[];

extern void _set_tls(void *tls);
extern void __libc_init_array(void);
extern int main(void);

__attribute__((weak)) void board_tick_hook(void)
{
}

_Noreturn void wb_c_start(void)
{
    memcpy(__data_start, __data_source, (size_t)(__data_end - __data_start));
    memset(__tbss_start, 0, (size_t)(__bss_end - __tbss_start));
    _set_tls(__tls_base);
    __libc_init_array();
    (void)main();
    board_halt();
}
