import { InvalidLeaderElectionOptions } from './errors';
import { decideLease, leaderTimings, observeLease, stepDownAtMs, type LeaseRecord } from './lease-decision';

const LEASE = 15_000;
const held = (holderIdentity: string, renewTimeMs = 1_000): LeaseRecord => ({ holderIdentity, renewTimeMs, leaseDurationSeconds: 15, resourceVersion: '7' });

describe('decideLease', () => {
  const decide = (record: LeaseRecord | undefined, observedAtMs: number, nowMs: number, identity = 'me') =>
    decideLease({ observation: observeLease(undefined, record, observedAtMs), nowMs, identity, leaseDurationMs: LEASE });

  it('creates a missing lease', () => {
    expect(decide(undefined, 0, 0)).toEqual({ action: 'create' });
  });

  it('renews its own lease, even one that looks expired', () => {
    expect(decide(held('me'), 0, 100_000)).toEqual({ action: 'renew' });
  });

  it('acquires a released lease at once', () => {
    expect(decide({ ...held(''), leaseDurationSeconds: 1 }, 5_000, 5_000)).toEqual({ action: 'acquire' });
    expect(decide({ resourceVersion: '3' }, 5_000, 5_000)).toEqual({ action: 'acquire' });
  });

  it('waits for a live lease of someone else, and acquires it once it expired by its own duration', () => {
    expect(decide(held('other'), 10_000, 24_999)).toEqual({ action: 'wait', holder: 'other', expiresAtMs: 25_000 });
    expect(decide(held('other'), 10_000, 25_000)).toEqual({ action: 'acquire' });
    expect(decide({ ...held('other'), leaseDurationSeconds: 2 }, 10_000, 12_000)).toEqual({ action: 'acquire' });
    expect(decide({ ...held('other'), leaseDurationSeconds: undefined }, 10_000, 24_000)).toMatchObject({ action: 'wait', expiresAtMs: 25_000 });
  });
});

describe('observeLease', () => {
  it('counts expiry from the first time a renewal was seen, not from the holder’s clock', () => {
    // The holder's clock is an hour behind: its renewTime says nothing about our now.
    const first = observeLease(undefined, held('other', -3_600_000), 50_000);
    const again = observeLease(first, { ...held('other', -3_600_000), resourceVersion: '8' }, 60_000);
    expect(again?.observedAtMs).toBe(50_000);
    expect(decideLease({ observation: again, nowMs: 60_000, identity: 'me', leaseDurationMs: LEASE })).toMatchObject({ action: 'wait', expiresAtMs: 65_000 });
    const renewed = observeLease(again, held('other', -3_595_000), 61_000);
    expect(renewed?.observedAtMs).toBe(61_000);
  });

  it('restarts the count when the holder changes, and forgets a deleted lease', () => {
    const first = observeLease(undefined, held('a'), 1_000);
    expect(observeLease(first, held('b'), 2_000)?.observedAtMs).toBe(2_000);
    expect(observeLease(first, undefined, 2_000)).toBeUndefined();
  });
});

describe('stepDownAtMs', () => {
  it('is the renew deadline after the start of the last successful renewal', () => {
    expect(stepDownAtMs(1_000, 10_000)).toBe(11_000);
  });
});

describe('leaderTimings', () => {
  it('defaults to a 15 s lease renewed every 5 s, stepping down after 10 s without renewal', () => {
    expect(leaderTimings({})).toEqual({ leaseDurationMs: 15_000, renewIntervalMs: 5_000, renewDeadlineMs: 10_000 });
  });

  it('refuses timings that leave no retry before the deadline', () => {
    expect(() => leaderTimings({ leaseDurationMs: 2_000, renewIntervalMs: 1_500 })).toThrow(InvalidLeaderElectionOptions);
    expect(() => leaderTimings({ leaseDurationMs: 500, renewIntervalMs: 100 })).toThrow(/at most half/);
    expect(() => leaderTimings({ renewIntervalMs: 0 })).toThrow(InvalidLeaderElectionOptions);
    expect(leaderTimings({ leaseDurationMs: 3_000, renewIntervalMs: 1_500 }).renewDeadlineMs).toBe(1_500);
  });
});
