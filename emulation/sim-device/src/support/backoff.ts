/**
 * Exponential backoff with "full jitter" (AWS architecture blog): the n-th
 * retry waits a uniformly random time in [0, min(cap, base * multiplier^n)).
 * Randomising the whole interval spreads a fleet that lost its gateway at the
 * same instant, so reconnects do not arrive as one thundering herd.
 */
export interface BackoffPolicy {
  /** Ceiling of the first delay. */
  readonly initialMs: number;
  /** No delay ever exceeds this. */
  readonly maxMs: number;
  /** Growth factor of the ceiling per attempt (>= 1). */
  readonly multiplier: number;
  /** A connection that lasted this long counts as stable: the next failure starts over from initialMs. */
  readonly resetAfterMs: number;
}

export const DEFAULT_RECONNECT_BACKOFF: BackoffPolicy = Object.freeze({
  initialMs: 500,
  maxMs: 30_000,
  multiplier: 2,
  resetAfterMs: 60_000,
});

/** Upper bound of the delay before retry number `attempt` (0-based). */
export function backoffCeilingMs(policy: BackoffPolicy, attempt: number): number {
  if (!Number.isInteger(attempt) || attempt < 0) throw new RangeError(`attempt must be a non-negative integer, got ${attempt}`);
  // Math.pow overflows to Infinity for large attempts; min() clamps it to the cap.
  return Math.min(policy.maxMs, policy.initialMs * Math.pow(policy.multiplier, attempt));
}

/** A full-jitter delay for retry `attempt`; `random` returns values in [0, 1) like Math.random. */
export function fullJitterDelayMs(policy: BackoffPolicy, attempt: number, random: () => number = Math.random): number {
  return Math.floor(random() * backoffCeilingMs(policy, attempt));
}

export function validateBackoffPolicy(policy: BackoffPolicy): BackoffPolicy {
  const { initialMs, maxMs, multiplier, resetAfterMs } = policy;
  const finite = [initialMs, maxMs, multiplier, resetAfterMs].every((v) => Number.isFinite(v));
  if (!finite || initialMs <= 0 || maxMs < initialMs || multiplier < 1 || resetAfterMs < 0) {
    throw new RangeError(`invalid backoff policy ${JSON.stringify(policy)}`);
  }
  return policy;
}

/** Attempt counter of one retrying activity (a device's connection, an app's restarts). */
export class Backoff {
  private attempt = 0;

  constructor(
    readonly policy: BackoffPolicy = DEFAULT_RECONNECT_BACKOFF,
    private readonly random: () => number = Math.random,
  ) {
    validateBackoffPolicy(policy);
  }

  /** Failures since the last reset. */
  get attempts(): number {
    return this.attempt;
  }

  /** Delay before the next retry; each call counts one more failure. */
  nextDelayMs(): number {
    const delay = fullJitterDelayMs(this.policy, this.attempt, this.random);
    this.attempt += 1;
    return delay;
  }

  reset(): void {
    this.attempt = 0;
  }

  /** Call when an established connection ends: a stable one resets the counter. */
  connectionEnded(connectedForMs: number): void {
    if (connectedForMs >= this.policy.resetAfterMs) this.reset();
  }
}
