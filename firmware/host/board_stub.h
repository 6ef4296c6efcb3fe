#ifndef WB_HOST_BOARD_STUB_H
#define WB_HOST_BOARD_STUB_H

#include <stddef.h>
#include <stdint.h>

extern uint8_t stub_tx_capture[4096];
extern size_t stub_tx_len;
extern unsigned stub_kicks;

#endif
