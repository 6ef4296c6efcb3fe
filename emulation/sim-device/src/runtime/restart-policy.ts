import type { Manifest } from '@wasmbed/protocol';
import type { BackoffPolicy } from '../support/backoff';

/**
 * What happens when a run ends by itself (a failure, or the entry point returning):
 * the signed manifest's `restart` (RuntimeConfig.autoRestart / maxRestarts of the
 * control plane). A stop requested by the gateway never restarts.
 */
export interface RestartPolicy {
  readonly autoRestart: boolean;
  /** Restarts allowed for one deployment; after that the app stays failed (or stopped). */
  readonly maxRestarts: number;
  /** Delay before each restart; an app that ran resetAfterMs without failing starts over at initialMs. */
  readonly backoff: BackoffPolicy;
}

/** As RuntimeConfig's defaults: no restarts unless asked for. */
export const DEFAULT_RESTART_POLICY: RestartPolicy = Object.freeze({
  autoRestart: false,
  maxRestarts: 3,
  backoff: Object.freeze({ initialMs: 1_000, maxMs: 30_000, multiplier: 2, resetAfterMs: 60_000 }),
});

/** The policy a manifest asks for; without `restart` the app is never restarted. */
export function restartPolicyOf(manifest: Pick<Manifest, 'restart'>, defaults: RestartPolicy = DEFAULT_RESTART_POLICY): RestartPolicy {
  if (manifest.restart === undefined) return { ...defaults, autoRestart: false };
  return { ...defaults, autoRestart: manifest.restart.autoRestart, maxRestarts: manifest.restart.maxRestarts };
}
