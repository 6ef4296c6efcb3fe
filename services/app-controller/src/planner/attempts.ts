import type { AttestedDevice, ControllerView, DeviceAttempt } from '../view/types';
import { attemptKey } from '../view/types';
import { retryDelayMs, type RetryPolicy } from './settings';

/** Deploys serve one rollout; stops serve one stop/delete request (by its time) or a device that left the targets. */
export const deployScope = (rollout: number): string => `rollout:${rollout}`;
export const windDownScope = (requestedAt: number | null): string => `wind-down:${requestedAt ?? 'unknown'}`;
export const ORPHAN_SCOPE = 'orphan';

/** This process' attempt of that kind for the device, if it serves `scope` (older ones are stale). */
export function attemptFor(view: ControllerView, kind: DeviceAttempt['kind'], appId: string, device: string, scope: string): DeviceAttempt | undefined {
  const attempt = view.attempts.get(attemptKey(kind, appId, device));
  return attempt?.scope === scope ? attempt : undefined;
}

/**
 * Whether a command may go to the device again: not while one is in flight;
 * at once if the device has a new session since the last send (it was offline,
 * or reconnected and lost any transfer); otherwise after the retry back-off.
 */
export function mayResend(attempt: DeviceAttempt, device: AttestedDevice | undefined, now: number, policy: RetryPolicy): boolean {
  if (attempt.inFlight) return false;
  if (attempt.lastSentAt === null) return true;
  if (device !== undefined && device.sessionId !== attempt.sessionAtSend) return true;
  return now >= attempt.lastSentAt + retryDelayMs(policy, attempt.sends);
}
