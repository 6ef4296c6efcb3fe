import type { BackoffPolicy } from '../support/backoff';

/**
 * What happens when a run ends by itself (a failure, or the entry point returning):
 * RuntimeConfig.autoRestart / maxRestarts of the control plane. The device
 * protocol's manifest has no fields for them yet, so the device reads them from
 * the manifest's signed config.env: `autoRestart` ("true" / "false") and
 * `maxRestarts` (decimal count). A stop requested by the gateway never restarts.
 */
export interface RestartPolicy {
  readonly autoRestart: boolean;
  /** Restarts allowed for one deployment; after that the app stays failed (or stopped). */
  readonly maxRestarts: number;
  /** Delay before each restart; an app that ran resetAfterMs without failing starts over at initialMs. */
  readonly backoff: BackoffPolicy;
}

export const RESTART_POLICY_KEYS = { autoRestart: 'autoRestart', maxRestarts: 'maxRestarts' } as const;

/** As RuntimeConfig's defaults: no restarts unless asked for. */
export const DEFAULT_RESTART_POLICY: RestartPolicy = Object.freeze({
  autoRestart: false,
  maxRestarts: 3,
  backoff: Object.freeze({ initialMs: 1_000, maxMs: 30_000, multiplier: 2, resetAfterMs: 60_000 }),
});

const MAX_RESTARTS_LIMIT = 1_000_000;

/** The policy of a manifest's env, or a message saying which entry is malformed. */
export function restartPolicyFromEnv(
  env: Readonly<Record<string, string>>,
  defaults: RestartPolicy = DEFAULT_RESTART_POLICY,
): { policy: RestartPolicy } | { problem: string } {
  const has = (key: string): boolean => Object.prototype.hasOwnProperty.call(env, key);
  let { autoRestart, maxRestarts } = defaults;
  if (has(RESTART_POLICY_KEYS.autoRestart)) {
    const value = env[RESTART_POLICY_KEYS.autoRestart];
    if (value !== 'true' && value !== 'false') return { problem: `config.env.autoRestart must be "true" or "false", got ${JSON.stringify(value)}` };
    autoRestart = value === 'true';
  }
  if (has(RESTART_POLICY_KEYS.maxRestarts)) {
    const value = env[RESTART_POLICY_KEYS.maxRestarts];
    if (!/^\d{1,7}$/.test(value) || Number(value) > MAX_RESTARTS_LIMIT) {
      return { problem: `config.env.maxRestarts must be a count up to ${MAX_RESTARTS_LIMIT}, got ${JSON.stringify(value)}` };
    }
    maxRestarts = Number(value);
  }
  return { policy: { ...defaults, autoRestart, maxRestarts } };
}
