import type { Command } from '../shared/messages';
import type { DeviceCapabilities } from './capabilities';

export type RegisterDevice = Command<
  'RegisterDevice',
  {
    deviceId: string;
    publicKey: string;
    board: string;
    architecture: string;
    labels?: Record<string, string>;
    preferredGateway?: string | null;
  }
>;

/** Sent by a gateway when a device connects and presents its key. */
export type RequestEnrollment = Command<
  'RequestEnrollment',
  {
    deviceId: string;
    publicKey: string;
    gatewayId: string;
    /** Read by the caller from the gateway aggregate (isPairingModeActive). */
    pairingModeActive: boolean;
    autoApprove: boolean;
    capabilities: DeviceCapabilities;
  }
>;

export type ApproveDevice = Command<'ApproveDevice', { deviceId: string }>;
export type RejectDevice = Command<'RejectDevice', { deviceId: string; reason: string }>;
export type MarkConnected = Command<'MarkConnected', { deviceId: string; gatewayId: string; sessionId: string }>;
export type MarkDisconnected = Command<'MarkDisconnected', { deviceId: string; sessionId: string; reason: string }>;
export type MarkUnreachable = Command<'MarkUnreachable', { deviceId: string; sessionId: string; lastHeartbeatAt: string }>;
export type RevokeDevice = Command<'RevokeDevice', { deviceId: string; reason: string }>;
export type UpdateDeviceLabels = Command<'UpdateDeviceLabels', { deviceId: string; labels: Record<string, string> }>;
export type AssignGateway = Command<'AssignGateway', { deviceId: string; gatewayId: string }>;
export type ReportCapabilities = Command<'ReportCapabilities', { deviceId: string; capabilities: DeviceCapabilities }>;

export type DeviceCommand =
  | RegisterDevice
  | RequestEnrollment
  | ApproveDevice
  | RejectDevice
  | MarkConnected
  | MarkDisconnected
  | MarkUnreachable
  | RevokeDevice
  | UpdateDeviceLabels
  | AssignGateway
  | ReportCapabilities;
