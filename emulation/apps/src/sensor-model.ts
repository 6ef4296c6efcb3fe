import { SENSOR_CHANNELS, SENSOR_UNAVAILABLE } from './abi';

/** A triangle wave around base: base - amplitude at t = 0, base + amplitude at half the period. */
export interface SensorWave {
  readonly base: number;
  readonly amplitude: number;
  readonly periodMs: number;
}

/**
 * The simulation model of docs/app-abi.md. Integer-only, so a C firmware and
 * a TypeScript simulator return exactly the same readings for the same time.
 */
export const SENSOR_MODEL: Readonly<Record<number, SensorWave>> = {
  [SENSOR_CHANNELS.temperature]: { base: 22_000, amplitude: 3_000, periodMs: 60_000 },
  [SENSOR_CHANNELS.humidity]: { base: 45_000, amplitude: 5_000, periodMs: 90_000 },
  [SENSOR_CHANNELS.light]: { base: 300_000, amplitude: 200_000, periodMs: 120_000 },
};

/** Integer triangle wave in [-amplitude, amplitude]; products stay below 2^53. */
export function triangleWave(tMs: number, periodMs: number, amplitude: number): number {
  const p = tMs % periodMs;
  const rise = Math.floor((4 * amplitude * p) / periodMs);
  return 2 * p < periodMs ? rise - amplitude : 3 * amplitude - rise;
}

/** Simulated reading of a channel at tMs (ms since app start), or SENSOR_UNAVAILABLE. */
export function simulatedSensorValue(channel: number, tMs: number): number {
  const wave = Object.prototype.hasOwnProperty.call(SENSOR_MODEL, channel) ? SENSOR_MODEL[channel] : undefined;
  if (wave === undefined) return SENSOR_UNAVAILABLE;
  return wave.base + triangleWave(Math.max(0, Math.floor(tMs)), wave.periodMs, wave.amplitude);
}
