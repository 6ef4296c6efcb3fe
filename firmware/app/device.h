/* What the device knows about itself at run time, shared by the boot report and
 * the shell. */
#ifndef WB_APP_DEVICE_H
#define WB_APP_DEVICE_H

#include <stddef.h>
#include <stdint.h>

#include "provisioning.h"

extern wb_provisioning device_provisioning;

/* Encodes a Hello of this board (msgId 1, runtime "none") as a whole frame,
 * for the codec self-test and the `hello` command; the agent builds the Hello
 * it sends itself. Returns its length, 0 on failure. */
size_t device_hello_frame(uint8_t *buf, size_t cap);

/* Encodes, decodes back and compares the device's Hello: proves the codec on
 * the target. Prints one line; returns 0 on success. */
int device_protocol_selftest(void);

/* Allocates and frees across the heap, checking placement and contents.
 * Prints one line; returns 0 on success. */
int device_heap_selftest(void);

/* The line shell (echo, uptime, stats, stack, hello, help): handles the
 * characters received so far and returns. */
void device_shell_poll(void);

#endif
