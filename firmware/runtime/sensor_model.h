/* The sensor simulation model of docs/app-abi.md §3 (sensor-model.ts):
 * integer-only, so the firmware returns exactly what the simulators return. */
#ifndef WB_RUNTIME_SENSOR_MODEL_H
#define WB_RUNTIME_SENSOR_MODEL_H

#include <stdint.h>

#define WB_SENSOR_UNAVAILABLE INT32_MIN

/* Reading of a channel (0 temperature m°C, 1 humidity m%RH, 2 light mlx) at
 * t_ms since the run started; WB_SENSOR_UNAVAILABLE for any other channel. */
int32_t wb_sensor_simulated(int32_t channel, uint64_t t_ms);

#endif
