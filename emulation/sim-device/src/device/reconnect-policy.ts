import type { Backoff } from '../support/backoff';
import type { SessionOutcome } from './device-session';

export type RejectedPolicy = 'stop' | 'retry';

export interface NextAttempt {
  /** Device state while waiting. */
  readonly state: 'disconnected' | 'rejected';
  /** Wait before connecting again; null = do not connect again. */
  readonly delayMs: number | null;
  /** The gateway to connect to next ("host:port"), when a Bye moved the device. */
  readonly redirect?: string;
}

/**
 * What a device does after a session (or a failed connection attempt, `null`):
 * - Rejected: stay rejected, or retry with backoff if so configured;
 * - Bye with an endpoint (the platform moves the device, docs/protocol.md §8.6), when
 *   the device follows redirects: go there at once (or after the Bye's retryAfterMs),
 *   not counted as a failure;
 * - the gateway named a time (Bye.retryAfterMs, or EnrollmentPending's retryAfterMs
 *   when the connection closed while pending): wait exactly that;
 * - otherwise exponential backoff with full jitter, started over after a stable session.
 */
export function nextAttempt(outcome: SessionOutcome | null, backoff: Backoff, onRejected: RejectedPolicy = 'stop', followRedirects = true): NextAttempt {
  const end = outcome?.end;
  if (end?.kind === 'rejected') {
    return { state: 'rejected', delayMs: onRejected === 'retry' ? backoff.nextDelayMs() : null };
  }
  if (outcome && outcome.establishedForMs !== null) backoff.connectionEnded(outcome.establishedForMs);
  if (end?.kind === 'bye' && end.endpoint !== undefined && followRedirects) {
    return { state: 'disconnected', delayMs: end.retryAfterMs ?? 0, redirect: end.endpoint };
  }
  const asked = (end?.kind === 'bye' ? end.retryAfterMs : undefined) ?? outcome?.pendingRetryAfterMs;
  return { state: 'disconnected', delayMs: asked ?? backoff.nextDelayMs() };
}
