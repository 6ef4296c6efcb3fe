// Test-only: device commands and events with sensible defaults.
import type { DeviceCommand, RequestEnrollment } from '../device/commands';
import type {
  DeviceConnected,
  DeviceEnrolled,
  DeviceEnrollmentRequested,
  DeviceEvent,
  DeviceRegistered,
} from '../device/events';
import { ACTOR, KEY_A, T0, at, capabilities, commandsOf } from './fixtures';

export const cmd = commandsOf<DeviceCommand>();

export function requestEnrollment(overrides: Partial<RequestEnrollment['data']> = {}, now = at(10)): RequestEnrollment {
  return cmd(
    'RequestEnrollment',
    {
      deviceId: 'd1',
      publicKey: KEY_A,
      gatewayId: 'gw1',
      pairingModeActive: false,
      autoApprove: false,
      capabilities: capabilities(),
      ...overrides,
    },
    now,
  );
}

export function registered(overrides: Partial<DeviceRegistered['data']> = {}): DeviceEvent {
  return {
    type: 'DeviceRegistered',
    data: {
      deviceId: 'd1',
      publicKey: KEY_A,
      board: 'nrf52840dk',
      architecture: 'thumbv7em',
      labels: {},
      preferredGateway: null,
      registeredAt: T0,
      registeredBy: ACTOR,
      ...overrides,
    },
  };
}

export function enrollmentRequested(overrides: Partial<DeviceEnrollmentRequested['data']> = {}): DeviceEvent {
  return {
    type: 'DeviceEnrollmentRequested',
    data: { deviceId: 'd1', publicKey: KEY_A, gatewayId: 'gw1', capabilities: capabilities(), requestedAt: at(10), ...overrides },
  };
}

export function enrolled(overrides: Partial<DeviceEnrolled['data']> = {}): DeviceEvent {
  return {
    type: 'DeviceEnrolled',
    data: {
      deviceId: 'd1',
      publicKey: KEY_A,
      gatewayId: 'gw1',
      capabilities: capabilities(),
      approval: 'preRegistered',
      approvedBy: ACTOR,
      enrolledAt: at(10),
      ...overrides,
    },
  };
}

export function connected(overrides: Partial<DeviceConnected['data']> = {}): DeviceEvent {
  return { type: 'DeviceConnected', data: { deviceId: 'd1', gatewayId: 'gw1', sessionId: 's1', connectedAt: at(20), ...overrides } };
}

export function revoked(reason = 'stolen'): DeviceEvent {
  return { type: 'DeviceRevoked', data: { deviceId: 'd1', reason, revokedBy: ACTOR, revokedAt: at(5) } };
}

/** Histories that leave device d1 in each status. */
export const HISTORIES = {
  Pending: [registered()],
  Enrolling: [enrollmentRequested()],
  Enrolled: [registered(), enrolled()],
  Connected: [registered(), enrolled(), connected()],
  Disconnected: [
    registered(),
    enrolled(),
    connected(),
    { type: 'DeviceDisconnected', data: { deviceId: 'd1', sessionId: 's1', reason: 'closed', disconnectedAt: at(30) } },
  ],
  Unreachable: [
    registered(),
    enrolled(),
    connected(),
    { type: 'DeviceUnreachable', data: { deviceId: 'd1', sessionId: 's1', lastHeartbeatAt: at(25), detectedAt: at(60) } },
  ],
  Revoked: [registered(), revoked()],
} satisfies Record<string, DeviceEvent[]>;
