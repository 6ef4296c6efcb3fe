import fc from 'fast-check';
import { SENSOR_CHANNELS, SENSOR_MODEL, SENSOR_UNAVAILABLE, simulatedSensorValue, triangleWave } from './index';

describe('sensor simulation model', () => {
  it('gives the documented readings at the turning points', () => {
    const { temperature, humidity, light } = SENSOR_CHANNELS;
    expect([0, 15_000, 30_000, 45_000, 60_000].map((t) => simulatedSensorValue(temperature, t))).toEqual([
      19_000, 22_000, 25_000, 22_000, 19_000,
    ]);
    expect([0, 45_000].map((t) => simulatedSensorValue(humidity, t))).toEqual([40_000, 50_000]);
    expect([0, 60_000].map((t) => simulatedSensorValue(light, t))).toEqual([100_000, 500_000]);
  });

  it('rounds between turning points towards minus infinity, as integer C code does for non-negative terms', () => {
    // 4 * 3000 * 7 / 60000 = 1.4 -> 1
    expect(simulatedSensorValue(SENSOR_CHANNELS.temperature, 7)).toBe(19_001);
    expect(simulatedSensorValue(SENSOR_CHANNELS.temperature, 1_000)).toBe(19_200);
    // Falling half: 3 * 3000 - floor(4 * 3000 * 30001 / 60000) = 9000 - 6000 (6000.2)
    expect(simulatedSensorValue(SENSOR_CHANNELS.temperature, 30_001)).toBe(25_000);
  });

  it('reports channels it does not simulate as unavailable', () => {
    for (const channel of [-1, 3, 1000, SENSOR_UNAVAILABLE]) expect(simulatedSensorValue(channel, 0)).toBe(SENSOR_UNAVAILABLE);
  });

  it('stays within base ± amplitude and repeats every period', () => {
    fc.assert(
      fc.property(fc.constantFrom(0, 1, 2), fc.integer({ min: 0, max: 10 * 365 * 86_400_000 }), (channel, t) => {
        const { base, amplitude, periodMs } = SENSOR_MODEL[channel];
        const v = simulatedSensorValue(channel, t);
        expect(Number.isInteger(v)).toBe(true);
        expect(Math.abs(v - base)).toBeLessThanOrEqual(amplitude);
        expect(simulatedSensorValue(channel, t + periodMs)).toBe(v);
      }),
    );
  });

  it('moves by at most the wave slope per millisecond', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_000_000 }), (t) => {
        const step = Math.abs(triangleWave(t + 1, 60_000, 3_000) - triangleWave(t, 60_000, 3_000));
        expect(step).toBeLessThanOrEqual(1);
      }),
    );
  });
});
