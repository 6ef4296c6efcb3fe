// @ts-check
/** Reconnection delays: exponential from 0.5 s, capped at 30 s, with jitter so many open dashboards do not reconnect in step. */

export const BACKOFF_BASE_MS = 500;
export const BACKOFF_MAX_MS = 30_000;

/**
 * The wait before reconnection attempt `attempt` (0 = the first retry).
 * @param {number} attempt
 * @param {() => number} [random] uniform in [0, 1)
 * @returns {number} milliseconds, between half and all of the capped exponential step
 */
export function backoffDelay(attempt, random = Math.random) {
  const step = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, attempt));
  return Math.round(step / 2 + (step / 2) * random());
}
