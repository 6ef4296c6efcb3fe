import type { Backoff } from '../support/backoff';
import type { SessionOutcome } from './device-session';

export type RejectedPolicy = 'stop' | 'retry';

export interface NextAttempt {
  /** Device state while waiting. */
  readonly state: 'disconnected' | 'rejected';
  /** Wait before connecting again; null = do not connect again. */
  readonly delayMs: number | null;
}

/**
 * What a device does after a session (or a failed connection attempt, `null`):
 * - Rejected: stay rejected, or retry with backoff if so configured;
 * - the gateway named a time (Bye.retryAfterMs, or EnrollmentPending's retryAfterMs
 *   when the connection closed while pending): wait exactly that;
 * - otherwise exponential backoff with full jitter, started over after a stable session.
 */
export function nextAttempt(outcome: SessionOutcome | null, backoff: Backoff, onRejected: RejectedPolicy = 'stop'): NextAttempt {
  const end = outcome?.end;
  if (end?.kind === 'rejected') {
    return { state: 'rejected', delayMs: onRejected === 'retry' ? backoff.nextDelayMs() : null };
  }
  if (outcome && outcome.establishedForMs !== null) backoff.connectionEnded(outcome.establishedForMs);
  const asked = (end?.kind === 'bye' ? end.retryAfterMs : undefined) ?? outcome?.pendingRetryAfterMs;
  return { state: 'disconnected', delayMs: asked ?? backoff.nextDelayMs() };
}
