import { Backoff } from '../support/backoff';
import type { SessionOutcome } from './device-session';
import { nextAttempt } from './reconnect-policy';

const policy = { initialMs: 100, maxMs: 1_000, multiplier: 2, resetAfterMs: 5_000 };
const maxJitter = () => new Backoff(policy, () => 0.999_999);
const closed = (establishedForMs: number | null): SessionOutcome => ({ end: { kind: 'transport_closed' }, establishedForMs });

describe('nextAttempt (what a device does after a session)', () => {
  it('backs off exponentially while connections keep failing', () => {
    const backoff = maxJitter();
    const delays = [null, null, closed(null), closed(200)].map((o) => nextAttempt(o, backoff));
    expect(delays).toEqual([
      { state: 'disconnected', delayMs: 99 },
      { state: 'disconnected', delayMs: 199 },
      { state: 'disconnected', delayMs: 399 },
      { state: 'disconnected', delayMs: 799 },
    ]);
  });

  it('starts over after a stable session', () => {
    const backoff = maxJitter();
    [null, null, null].forEach((o) => nextAttempt(o, backoff));
    expect(nextAttempt(closed(5_000), backoff)).toEqual({ state: 'disconnected', delayMs: 99 });
  });

  it('obeys the retry time the gateway names', () => {
    const backoff = maxJitter();
    expect(nextAttempt({ end: { kind: 'bye', reason: 'shutdown', retryAfterMs: 4_000 }, establishedForMs: 10 }, backoff)).toEqual({ state: 'disconnected', delayMs: 4_000 });
    const pendingClosed: SessionOutcome = { end: { kind: 'bye', reason: 'pending_timeout' }, establishedForMs: null, pendingRetryAfterMs: 60_000 };
    expect(nextAttempt(pendingClosed, backoff)).toEqual({ state: 'disconnected', delayMs: 60_000 });
    expect(backoff.attempts).toBe(0);
  });

  it('stays rejected by default, or retries with backoff if configured', () => {
    const rejected: SessionOutcome = { end: { kind: 'rejected', code: 'revoked', reason: 'key revoked' }, establishedForMs: null };
    expect(nextAttempt(rejected, maxJitter())).toEqual({ state: 'rejected', delayMs: null });
    expect(nextAttempt(rejected, maxJitter(), 'retry')).toEqual({ state: 'rejected', delayMs: 99 });
  });
});
