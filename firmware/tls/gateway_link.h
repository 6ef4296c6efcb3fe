/* The board side of the gateway connection: the TLS session of
 * gateway_session.c over the link UART (serial.h: wb_link), driven from the
 * main loop, with retries. */
#ifndef WB_TLS_GATEWAY_LINK_H
#define WB_TLS_GATEWAY_LINK_H

#include <stddef.h>

#include "provisioning.h"

/* Seeds the RNG and starts connecting when the provisioning has what TLS
 * needs (platform CA, device certificate) and the board has a link UART;
 * otherwise prints one line saying why the device stays offline. */
void gateway_link_start(const wb_provisioning *p);

/* Advances the connection; call from the main loop whenever it wakes. */
void gateway_link_poll(void);

#endif
