/* Math the interpreter needs where the board's picolibc gets it wrong. Found
 * by tests/gen-mvp-ops.mjs on QEMU: picolibc's trunc() on rv32 returns wrong
 * values for integral doubles of 2^52 and above (trunc(1e20) != 1e20). This
 * definition comes first in the link (libwamr.a), so the libc one is not
 * pulled in. The host build keeps its libc's. */
#include <stdint.h>
#include <string.h>

#include "platform_internal.h"

#ifndef WB_RUNTIME_HOST
double trunc(double x)
{
    uint64_t bits;
    memcpy(&bits, &x, sizeof bits);
    int exponent = (int)((bits >> 52) & 0x7ffu) - 1023;
    if (exponent == 1024) return x + x; /* NaN (quieted) or infinity */
    if (exponent >= 52) return x;       /* already integral */
    if (exponent < 0) {
        bits &= UINT64_C(0x8000000000000000); /* |x| < 1: a zero of x's sign */
    } else {
        bits &= ~(UINT64_C(0x000fffffffffffff) >> exponent);
    }
    memcpy(&x, &bits, sizeof x);
    return x;
}
#endif
