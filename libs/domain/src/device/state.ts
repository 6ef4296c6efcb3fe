import type { DeviceCapabilities } from './capabilities';

export type DeviceStatus = 'Pending' | 'Enrolling' | 'Enrolled' | 'Connected' | 'Disconnected' | 'Unreachable' | 'Revoked';

export interface DeviceSession {
  readonly sessionId: string;
  readonly gatewayId: string;
  readonly connectedAt: string;
}

export interface PendingEnrollment {
  readonly gatewayId: string;
  readonly capabilities: DeviceCapabilities;
  readonly requestedAt: string;
}

export interface DeviceRevocation {
  readonly reason: string;
  readonly at: string;
  readonly by: string;
  /** True when the device was rejected while waiting for approval rather than revoked. */
  readonly rejected: boolean;
}

/** State of a device stream that has events. */
export interface Device {
  readonly status: DeviceStatus;
  readonly deviceId: string;
  readonly publicKey: string;
  readonly board: string;
  readonly architecture: string;
  readonly labels: Readonly<Record<string, string>>;
  /** The gateway the device belongs to: set by the operator, else the one it enrolled through. */
  readonly assignedGateway: string | null;
  /** The request awaiting approval (Enrolling only). */
  readonly pendingEnrollment: PendingEnrollment | null;
  /** What the device reported when admitted, kept current by ReportCapabilities. */
  readonly capabilities: DeviceCapabilities | null;
  /** The current connection; kept while Unreachable so the session can still be closed. */
  readonly session: DeviceSession | null;
  readonly lastHeartbeatAt: string | null;
  readonly registeredAt: string;
  readonly enrolledAt: string | null;
  readonly revocation: DeviceRevocation | null;
}

export type DeviceState = { readonly status: 'Initial' } | Device;

export function initialDeviceState(): DeviceState {
  return { status: 'Initial' };
}

/** States in which the device has been admitted and may hold a session. */
export const ENROLLED_STATUSES: readonly DeviceStatus[] = ['Enrolled', 'Connected', 'Disconnected', 'Unreachable'];

export function isEnrolled(device: Device): boolean {
  return ENROLLED_STATUSES.includes(device.status);
}
