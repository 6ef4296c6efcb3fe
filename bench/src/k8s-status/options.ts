import { parseIntegerFlags } from '../support/cli-options';

export interface K8sStatusOptions {
  readonly devices: number;
  /** k8s-sync's WASMBED_K8S_STATUS_MIN_INTERVAL_MS. */
  readonly intervalMs: number;
  /** Device objects created at once. */
  readonly createConcurrency: number;
  /** Fake gateway commits in flight. */
  readonly connectConcurrency: number;
  /** Seconds each phase may take to converge. */
  readonly phaseTimeoutS: number;
  /** k8s-sync's WASMBED_K8S_SYNC_WORKERS. */
  readonly syncWorkers: number;
  /** k8s-sync's WASMBED_K8S_STATUS_MAX_IN_FLIGHT (the raw floor is measured at it too). */
  readonly statusInFlight: number;
}

export const K8S_STATUS_DEFAULTS: K8sStatusOptions = { devices: 10_000, intervalMs: 5_000, createConcurrency: 32, connectConcurrency: 64, phaseTimeoutS: 900, syncWorkers: 4, statusInFlight: 8 };

export function parseK8sStatusOptions(argv: readonly string[]): K8sStatusOptions {
  return parseIntegerFlags(argv, K8S_STATUS_DEFAULTS, {
    '--devices': { key: 'devices', min: 1, max: 100_000 },
    '--interval-ms': { key: 'intervalMs', min: 0, max: 600_000 },
    '--create-concurrency': { key: 'createConcurrency', min: 1, max: 512 },
    '--connect-concurrency': { key: 'connectConcurrency', min: 1, max: 512 },
    '--phase-timeout-s': { key: 'phaseTimeoutS', min: 10, max: 7_200 },
    '--sync-workers': { key: 'syncWorkers', min: 1, max: 256 },
    '--status-in-flight': { key: 'statusInFlight', min: 1, max: 256 },
  });
}
