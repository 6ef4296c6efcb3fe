import fc from 'fast-check';
import { Backoff, backoffCeilingMs, fullJitterDelayMs, validateBackoffPolicy, type BackoffPolicy } from './backoff';

const policy: BackoffPolicy = { initialMs: 100, maxMs: 2_000, multiplier: 2, resetAfterMs: 10_000 };

describe('exponential backoff with full jitter', () => {
  it('grows the ceiling geometrically up to the cap', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 50, 5_000].map((n) => backoffCeilingMs(policy, n))).toEqual([100, 200, 400, 800, 1_600, 2_000, 2_000, 2_000, 2_000]);
  });

  it('draws the whole interval [0, ceiling): random 0 waits nothing, random just below 1 waits almost the ceiling', () => {
    expect(fullJitterDelayMs(policy, 3, () => 0)).toBe(0);
    expect(fullJitterDelayMs(policy, 3, () => 0.999_999)).toBe(799);
    expect(fullJitterDelayMs(policy, 3, () => 0.5)).toBe(400);
  });

  it('never leaves [0, min(cap, initial * multiplier^attempt))', () => {
    fc.assert(
      fc.property(
        fc.record({ initialMs: fc.integer({ min: 1, max: 10_000 }), extra: fc.integer({ min: 0, max: 1_000_000 }), multiplier: fc.double({ min: 1, max: 10, noNaN: true }) }),
        fc.nat(200),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        ({ initialMs, extra, multiplier }, attempt, r) => {
          const p = { initialMs, maxMs: initialMs + extra, multiplier, resetAfterMs: 0 };
          const delay = fullJitterDelayMs(p, attempt, () => r);
          return Number.isInteger(delay) && delay >= 0 && delay < Math.max(1, Math.min(p.maxMs, initialMs * multiplier ** attempt));
        },
      ),
    );
  });

  it('counts attempts, and starts over after a stable connection but not after a short one', () => {
    const backoff = new Backoff(policy, () => 0.999_999);
    expect([backoff.nextDelayMs(), backoff.nextDelayMs(), backoff.nextDelayMs()]).toEqual([99, 199, 399]);
    backoff.connectionEnded(9_999);
    expect(backoff.attempts).toBe(3);
    expect(backoff.nextDelayMs()).toBe(799);
    backoff.connectionEnded(10_000);
    expect(backoff.attempts).toBe(0);
    expect(backoff.nextDelayMs()).toBe(99);
  });

  it('rejects nonsensical policies and attempts', () => {
    expect(() => validateBackoffPolicy({ ...policy, initialMs: 0 })).toThrow(RangeError);
    expect(() => validateBackoffPolicy({ ...policy, maxMs: 50 })).toThrow(RangeError);
    expect(() => validateBackoffPolicy({ ...policy, multiplier: 0.5 })).toThrow(RangeError);
    expect(() => new Backoff({ ...policy, resetAfterMs: Number.NaN })).toThrow(RangeError);
    expect(() => backoffCeilingMs(policy, -1)).toThrow(RangeError);
    expect(() => backoffCeilingMs(policy, 1.5)).toThrow(RangeError);
  });
});
