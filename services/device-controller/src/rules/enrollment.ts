import { deviceAction, type PlannedAction } from '../actions';
import type { DeviceEntry } from '../fleet-state';

export const ENROLLMENT_EXPIRED_REASON = 'enrollment request expired';

export interface EnrollmentPolicy {
  /** Requests older than this are rejected; null: never. */
  readonly enrollmentTtlMs: number | null;
  /** Boards (as the device reports them) approved without an operator. */
  readonly autoApproveBoards: ReadonlySet<string>;
}

/**
 * A device waiting in Enrolling: rejected once its request is older than the TTL
 * (expiry wins over approval, so a stale request is never admitted), else approved
 * when its reported board is on the auto-approval list. The board is the device's
 * own claim: the list is a convenience for trusted sites, off by default.
 */
export function enrollmentAction(entry: DeviceEntry, now: number, policy: EnrollmentPolicy): PlannedAction | undefined {
  const { device, version } = entry;
  const request = device.pendingEnrollment;
  if (device.status !== 'Enrolling' || request === null) return undefined;
  const { deviceId } = device;
  if (policy.enrollmentTtlMs !== null && now - Date.parse(request.requestedAt) >= policy.enrollmentTtlMs) {
    return deviceAction('expire_enrollment', version, request.requestedAt, {
      type: 'RejectDevice',
      data: { deviceId, reason: ENROLLMENT_EXPIRED_REASON },
    });
  }
  if (policy.autoApproveBoards.has(request.capabilities.board)) {
    return deviceAction('auto_approve', version, request.requestedAt, { type: 'ApproveDevice', data: { deviceId } });
  }
  return undefined;
}
