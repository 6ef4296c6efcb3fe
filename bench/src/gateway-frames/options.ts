import { parseBenchOptions, requireOption, type IntegerFlags } from '../support/cli-options';

/** Options of the gateway-frames bench (`--devices 32 --window 16 --seconds 10 ...`). */
export interface GatewayFramesOptions {
  /** Devices sending at once. */
  devices: number;
  /** Heartbeats each device keeps in flight (sent, not yet answered). */
  window: number;
  /** Length of the measurement. */
  seconds: number;
  /** Flooding before the measurement starts (JIT, buffers, GC settle). */
  warmupSeconds: number;
  workers: number;
}

export const FRAMES_DEFAULTS: GatewayFramesOptions = { devices: 32, window: 16, seconds: 10, warmupSeconds: 2, workers: 2 };

const FLAGS: IntegerFlags<GatewayFramesOptions> = {
  '--devices': { key: 'devices', min: 1, max: 10_000 },
  '--window': { key: 'window', min: 1, max: 1_024 },
  '--seconds': { key: 'seconds', min: 1, max: 600 },
  '--warmup-seconds': { key: 'warmupSeconds', min: 0, max: 60 },
  '--workers': { key: 'workers', min: 1, max: 8 },
};

export function parseFramesOptions(argv: readonly string[], env: NodeJS.ProcessEnv): GatewayFramesOptions & { natsUrl?: string } {
  return parseBenchOptions(argv, env, FRAMES_DEFAULTS, FLAGS, (o) => requireOption(o.workers <= o.devices, '--workers must not exceed --devices'));
}
