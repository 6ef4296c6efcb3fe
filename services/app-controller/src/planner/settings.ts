/** The planner's timing rules (all in milliseconds). */
export interface PlannerSettings {
  /** A device with no outcome this long after DeviceDeploymentStarted is recorded Failed. */
  readonly deployTimeoutMs: number;
  /** Devices still not confirmed stopped this long after a delete was requested are abandoned (ConfirmDeleted). */
  readonly deleteTimeoutMs: number;
  /** Device commands that got no useful answer are sent again after initialMs, doubling up to maxMs. */
  readonly retry: RetryPolicy;
  /** A running device must show the wrong module (or none) this long before it is redeployed. */
  readonly driftGraceMs: number;
}

export interface RetryPolicy {
  readonly initialMs: number;
  readonly maxMs: number;
}

export const DEFAULT_PLANNER_SETTINGS: PlannerSettings = {
  deployTimeoutMs: 120_000,
  deleteTimeoutMs: 120_000,
  retry: { initialMs: 2_000, maxMs: 60_000 },
  driftGraceMs: 2_000,
};

/** How long to wait after the `sends`-th send before the next: initialMs, doubling, capped at maxMs. */
export function retryDelayMs(policy: RetryPolicy, sends: number): number {
  const doublings = Math.max(0, Math.min(sends - 1, 30));
  return Math.min(policy.maxMs, policy.initialMs * 2 ** doublings);
}
