#include "sensor_model.h"

typedef struct {
    int64_t base, amplitude, period_ms;
} wave;

static const wave waves[] = {
    {22000, 3000, 60000},    /* temperature */
    {45000, 5000, 90000},    /* humidity */
    {300000, 200000, 120000} /* light */
};

int32_t wb_sensor_simulated(int32_t channel, uint64_t t_ms)
{
    if (channel < 0 || channel >= (int32_t)(sizeof waves / sizeof waves[0])) return WB_SENSOR_UNAVAILABLE;
    const wave *w = &waves[channel];
    int64_t p = (int64_t)(t_ms % (uint64_t)w->period_ms);
    int64_t rise = 4 * w->amplitude * p / w->period_ms;
    int64_t tri = 2 * p < w->period_ms ? rise - w->amplitude : 3 * w->amplitude - rise;
    return (int32_t)(w->base + tri);
}
