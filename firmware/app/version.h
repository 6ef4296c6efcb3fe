#ifndef WB_APP_VERSION_H
#define WB_APP_VERSION_H

#define WB_FIRMWARE_NAME "wasmbed-fw"
#define WB_FIRMWARE_VERSION "0.1.0"

/* The device's receive limit announced in Hello (the protocol's minimum). */
#define WB_DEVICE_MAX_FRAME_BYTES 4096u

#endif
