import { InvalidLeaderElectionOptions } from './errors';

/** What a Lease says, as read from coordination.k8s.io/v1. */
export interface LeaseRecord {
  /** '' or absent = released. */
  readonly holderIdentity?: string;
  readonly leaseDurationSeconds?: number;
  /** spec.renewTime in ms (the holder's clock). */
  readonly renewTimeMs?: number;
  readonly leaseTransitions?: number;
  readonly resourceVersion?: string;
}

/** A record and when this process first saw it (its own clock). */
export interface LeaseObservation {
  readonly record: LeaseRecord;
  readonly observedAtMs: number;
}

export type LeaseDecision =
  /** No Lease yet: create it, holding it. */
  | { readonly action: 'create' }
  /** Released or expired: take it over (update checked against the resourceVersion read). */
  | { readonly action: 'acquire' }
  /** We hold it: renew. */
  | { readonly action: 'renew' }
  /** Someone else holds a live lease. */
  | { readonly action: 'wait'; readonly holder: string; readonly expiresAtMs: number };

/**
 * The observation after reading `record` at `nowMs`. The expiry of someone else's lease
 * is counted from when WE first saw its latest renewal, never from the renewTime it
 * carries: that is the holder's clock, and clocks disagree (client-go does the same).
 */
export function observeLease(previous: LeaseObservation | undefined, record: LeaseRecord | undefined, nowMs: number): LeaseObservation | undefined {
  if (!record) return undefined;
  const same =
    previous !== undefined &&
    previous.record.holderIdentity === record.holderIdentity &&
    previous.record.renewTimeMs === record.renewTimeMs &&
    previous.record.leaseDurationSeconds === record.leaseDurationSeconds;
  return { record, observedAtMs: same ? previous.observedAtMs : nowMs };
}

/** What an elector with `identity` does about the lease it observed. Pure. */
export function decideLease(input: { observation: LeaseObservation | undefined; nowMs: number; identity: string; leaseDurationMs: number }): LeaseDecision {
  const { observation, nowMs, identity } = input;
  if (!observation) return { action: 'create' };
  const { record, observedAtMs } = observation;
  const holder = record.holderIdentity ?? '';
  if (holder === identity) return { action: 'renew' };
  if (holder === '') return { action: 'acquire' };
  const durationMs = record.leaseDurationSeconds !== undefined && record.leaseDurationSeconds > 0 ? record.leaseDurationSeconds * 1_000 : input.leaseDurationMs;
  const expiresAtMs = observedAtMs + durationMs;
  return nowMs >= expiresAtMs ? { action: 'acquire' } : { action: 'wait', holder, expiresAtMs };
}

/**
 * When a leader whose last successful renewal STARTED at `renewStartedAtMs` must consider
 * itself deposed: before anyone else may see the lease expire, which is at the earliest
 * leaseDuration after that renewal was written (so after it started).
 */
export function stepDownAtMs(renewStartedAtMs: number, renewDeadlineMs: number): number {
  return renewStartedAtMs + renewDeadlineMs;
}

export interface LeaderTimings {
  readonly leaseDurationMs: number;
  readonly renewIntervalMs: number;
  /** How long a leader may fail to renew before it steps down: leaseDuration − renewInterval. */
  readonly renewDeadlineMs: number;
}

/**
 * Checked timings (defaults 15 s lease, 5 s renewal). Renewing at most every half lease
 * leaves the leader at least one retry before its deadline.
 */
export function leaderTimings(input: { leaseDurationMs?: number; renewIntervalMs?: number }): LeaderTimings {
  const leaseDurationMs = input.leaseDurationMs ?? 15_000;
  const renewIntervalMs = input.renewIntervalMs ?? 5_000;
  if (!(Number.isFinite(leaseDurationMs) && leaseDurationMs >= 1_000 && renewIntervalMs > 0 && renewIntervalMs * 2 <= leaseDurationMs)) {
    throw new InvalidLeaderElectionOptions(`renewIntervalMs (${renewIntervalMs}) must be positive and at most half of leaseDurationMs (${leaseDurationMs}, at least 1000)`);
  }
  return { leaseDurationMs, renewIntervalMs, renewDeadlineMs: leaseDurationMs - renewIntervalMs };
}
