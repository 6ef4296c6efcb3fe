import { MAX_HEARTBEAT_INTERVAL_MS, MIN_HEARTBEAT_INTERVAL_MS } from '@wasmbed/protocol';
import { parseBenchOptions, requireOption, type IntegerFlags } from '../support/cli-options';

/** Options of the gateway-sessions bench (`--sessions 10000 --heartbeat-ms 1000 ...`). */
export interface GatewaySessionsOptions {
  sessions: number;
  heartbeatMs: number;
  /** Load-generator processes the devices are spread over. */
  workers: number;
  /** Connections being set up at once, over all load generators. */
  connectConcurrency: number;
  /** Length of the heartbeat measurement, once every session is up. */
  measureSeconds: number;
}

export const SESSIONS_DEFAULTS: GatewaySessionsOptions = {
  sessions: 2_000,
  heartbeatMs: 1_000,
  workers: 2,
  connectConcurrency: 64,
  measureSeconds: 15,
};

const FLAGS: IntegerFlags<GatewaySessionsOptions> = {
  '--sessions': { key: 'sessions', min: 1, max: 100_000 },
  '--heartbeat-ms': { key: 'heartbeatMs', min: MIN_HEARTBEAT_INTERVAL_MS, max: MAX_HEARTBEAT_INTERVAL_MS },
  '--workers': { key: 'workers', min: 1, max: 8 },
  '--connect-concurrency': { key: 'connectConcurrency', min: 1, max: 4_096 },
  '--measure-seconds': { key: 'measureSeconds', min: 1, max: 3_600 },
};

export function parseSessionsOptions(argv: readonly string[], env: NodeJS.ProcessEnv): GatewaySessionsOptions & { natsUrl?: string } {
  const o = parseBenchOptions(argv, env, SESSIONS_DEFAULTS, FLAGS, (p) => {
    requireOption(p.workers <= p.sessions, '--workers must not exceed --sessions');
  });
  // Unless given, the measurement is long enough to see every session's heartbeat at least once.
  if (!argv.includes('--measure-seconds')) o.measureSeconds = Math.max(o.measureSeconds, Math.ceil(o.heartbeatMs / 1_000));
  requireOption(o.measureSeconds * 1_000 >= o.heartbeatMs, '--measure-seconds must cover at least one heartbeat interval (--heartbeat-ms)');
  return o;
}
