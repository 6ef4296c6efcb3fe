import type { Event } from '../shared/messages';
import type { DeviceCapabilities } from './capabilities';

/** How an enrollment was approved: matching a pre-registration, by an operator, or by auto-approve. */
export type EnrollmentApproval = 'preRegistered' | 'manual' | 'auto';

export type DeviceRegistered = Event<
  'DeviceRegistered',
  {
    deviceId: string;
    publicKey: string;
    board: string;
    architecture: string;
    labels: Record<string, string>;
    preferredGateway: string | null;
    registeredAt: string;
    registeredBy: string;
  }
>;

export type DeviceEnrollmentRequested = Event<
  'DeviceEnrollmentRequested',
  { deviceId: string; publicKey: string; gatewayId: string; capabilities: DeviceCapabilities; requestedAt: string }
>;

export type DeviceEnrolled = Event<
  'DeviceEnrolled',
  {
    deviceId: string;
    publicKey: string;
    gatewayId: string;
    capabilities: DeviceCapabilities;
    approval: EnrollmentApproval;
    approvedBy: string;
    enrolledAt: string;
  }
>;

export type DeviceRejected = Event<'DeviceRejected', { deviceId: string; reason: string; rejectedBy: string; rejectedAt: string }>;

export type DeviceConnected = Event<
  'DeviceConnected',
  { deviceId: string; gatewayId: string; sessionId: string; connectedAt: string }
>;

export type DeviceDisconnected = Event<
  'DeviceDisconnected',
  { deviceId: string; sessionId: string; reason: string; disconnectedAt: string }
>;

export type DeviceUnreachable = Event<
  'DeviceUnreachable',
  { deviceId: string; sessionId: string; lastHeartbeatAt: string; detectedAt: string }
>;

export type DeviceRevoked = Event<'DeviceRevoked', { deviceId: string; reason: string; revokedBy: string; revokedAt: string }>;

export type DeviceLabelsUpdated = Event<
  'DeviceLabelsUpdated',
  { deviceId: string; labels: Record<string, string>; updatedAt: string; updatedBy: string }
>;

export type DeviceGatewayAssigned = Event<
  'DeviceGatewayAssigned',
  { deviceId: string; gatewayId: string; previousGatewayId: string | null; assignedAt: string; assignedBy: string }
>;

export type DeviceCapabilitiesReported = Event<
  'DeviceCapabilitiesReported',
  { deviceId: string; capabilities: DeviceCapabilities; reportedAt: string }
>;

export type DeviceEvent =
  | DeviceRegistered
  | DeviceEnrollmentRequested
  | DeviceEnrolled
  | DeviceRejected
  | DeviceConnected
  | DeviceDisconnected
  | DeviceUnreachable
  | DeviceRevoked
  | DeviceLabelsUpdated
  | DeviceGatewayAssigned
  | DeviceCapabilitiesReported;
