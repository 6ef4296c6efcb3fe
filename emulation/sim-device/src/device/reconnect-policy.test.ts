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

  it('follows a Bye that names another gateway at once, without counting a failure', () => {
    const backoff = maxJitter();
    nextAttempt(null, backoff);
    const moved: SessionOutcome = { end: { kind: 'bye', reason: 'rebalance', endpoint: 'gw-b.lab:4423' }, establishedForMs: 10 };
    expect(nextAttempt(moved, backoff)).toEqual({ state: 'disconnected', delayMs: 0, redirect: 'gw-b.lab:4423' });
    const later: SessionOutcome = { end: { kind: 'bye', reason: 'rebalance', endpoint: 'gw-b.lab:4423', retryAfterMs: 2_000 }, establishedForMs: 10 };
    expect(nextAttempt(later, backoff)).toEqual({ state: 'disconnected', delayMs: 2_000, redirect: 'gw-b.lab:4423' });
    expect(backoff.attempts).toBe(1);
    // A device that does not follow redirects treats it as any Bye: its usual backoff, where it was.
    expect(nextAttempt(moved, backoff, 'stop', false)).toEqual({ state: 'disconnected', delayMs: 199 });
  });

  it('stays rejected by default, or retries with backoff if configured', () => {
    const rejected: SessionOutcome = { end: { kind: 'rejected', code: 'revoked', reason: 'key revoked' }, establishedForMs: null };
    expect(nextAttempt(rejected, maxJitter())).toEqual({ state: 'rejected', delayMs: null });
    expect(nextAttempt(rejected, maxJitter(), 'retry')).toEqual({ state: 'rejected', delayMs: 99 });
  });
});
