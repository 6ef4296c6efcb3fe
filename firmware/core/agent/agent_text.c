/* Text that crosses into messages: every text field must be valid UTF-8 within
 * its byte limit, whatever the runtime or the peer handed over. */
#include <string.h>

#include "agent/agent_internal.h"

size_t agent_utf8_prefix(const uint8_t *s, size_t len, size_t max)
{
    if (len <= max) return len;
    size_t end = max;
    /* Back up over continuation bytes to the start of the sequence the cut splits. */
    while (end > 0 && (s[end] & 0xc0) == 0x80) end--;
    return end;
}

size_t agent_copy_text(char *dst, size_t cap, const uint8_t *src, size_t len)
{
    if (cap == 0) return 0;
    size_t n = src == NULL ? 0 : agent_utf8_prefix(src, len, cap - 1);
    if (n > 0) memcpy(dst, src, n);
    dst[n] = '\0';
    if (!wb_utf8_valid((const uint8_t *)dst, n)) {
        for (size_t i = 0; i < n; i++) {
            if ((uint8_t)dst[i] >= 0x80) dst[i] = '?';
        }
    }
    return n;
}

wb_slice agent_cstr(const char *s)
{
    return (wb_slice){(const uint8_t *)s, (uint32_t)strlen(s)};
}

bool agent_slice_eq(wb_slice a, const char *s, size_t len)
{
    return a.len == len && (len == 0 || memcmp(a.ptr, s, len) == 0);
}
