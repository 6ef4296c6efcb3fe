import { unknownCommand } from '../shared/assert-never';
import { sameValue } from '../shared/canonical';
import { InvalidTransition } from '../shared/errors';
import { requireSameAggregate } from '../shared/identity';
import { requireLabels } from '../shared/labels';
import type { CommandMetadata } from '../shared/messages';
import { requireMetadata } from '../shared/metadata';
import { requireIsoTime } from '../shared/time';
import {
  optionalName,
  requireBoolean,
  requireName,
  requirePublicKey,
  requireRecord,
  requireText,
  requireToken,
} from '../shared/validation';
import { requireCapabilities } from './capabilities';
import type { DeviceCommand, RequestEnrollment } from './commands';
import { DeviceAlreadyExists, DeviceNotFound, EnrollmentRefused } from './errors';
import type { DeviceEvent, EnrollmentApproval } from './events';
import { isEnrolled, type Device, type DeviceState, type PendingEnrollment } from './state';

/** The device state machine; see libs/domain/README.md for the transition table. */
export function decideDevice(command: DeviceCommand, state: DeviceState): DeviceEvent[] {
  const meta = requireMetadata(command.metadata);
  const data = requireRecord('data', command.data);
  const deviceId = requireName('data.deviceId', data.deviceId);
  if (state.status !== 'Initial') requireSameAggregate('data.deviceId', deviceId, state.deviceId);

  switch (command.type) {
    case 'RegisterDevice': {
      if (state.status !== 'Initial') throw new DeviceAlreadyExists(deviceId, state.status);
      return [
        {
          type: 'DeviceRegistered',
          data: {
            deviceId,
            publicKey: requirePublicKey('data.publicKey', data.publicKey),
            board: requireText('data.board', data.board, 128),
            architecture: requireText('data.architecture', data.architecture, 64),
            labels: requireLabels('data.labels', data.labels ?? {}),
            preferredGateway: optionalName('data.preferredGateway', data.preferredGateway),
            registeredAt: meta.now,
            registeredBy: meta.actor,
          },
        },
      ];
    }
    case 'RequestEnrollment':
      return decideEnrollment(deviceId, command.data, state, meta);
    case 'ApproveDevice': {
      const device = requireDevice(state, deviceId);
      const request = device.pendingEnrollment;
      if (device.status !== 'Enrolling' || !request) throw new InvalidTransition(command.type, 'device', deviceId, device.status);
      return [enrolled(device, request, 'manual', meta)];
    }
    case 'RejectDevice': {
      const reason = requireText('data.reason', data.reason);
      const device = requireDevice(state, deviceId);
      if (device.status !== 'Enrolling') throw new InvalidTransition(command.type, 'device', deviceId, device.status);
      return [{ type: 'DeviceRejected', data: { deviceId, reason, rejectedBy: meta.actor, rejectedAt: meta.now } }];
    }
    case 'MarkConnected': {
      const gatewayId = requireName('data.gatewayId', data.gatewayId);
      const sessionId = requireToken('data.sessionId', data.sessionId);
      const device = requireDevice(state, deviceId);
      if (!isEnrolled(device)) throw new InvalidTransition(command.type, 'device', deviceId, device.status);
      const session = device.session;
      if (device.status === 'Connected' && session?.sessionId === sessionId && session.gatewayId === gatewayId) return [];
      // A different session replaces the current one: the device reconnected, possibly elsewhere.
      return [{ type: 'DeviceConnected', data: { deviceId, gatewayId, sessionId, connectedAt: meta.now } }];
    }
    case 'MarkDisconnected': {
      const sessionId = requireToken('data.sessionId', data.sessionId);
      const reason = requireText('data.reason', data.reason);
      const device = requireDevice(state, deviceId);
      // Only the current session may end itself: a late report from an old one must not cut a newer one.
      if (device.session?.sessionId !== sessionId) return [];
      return [{ type: 'DeviceDisconnected', data: { deviceId, sessionId, reason, disconnectedAt: meta.now } }];
    }
    case 'MarkUnreachable': {
      const sessionId = requireToken('data.sessionId', data.sessionId);
      const lastHeartbeatAt = requireIsoTime('data.lastHeartbeatAt', data.lastHeartbeatAt);
      const device = requireDevice(state, deviceId);
      if (device.status !== 'Connected' || device.session?.sessionId !== sessionId) return [];
      return [{ type: 'DeviceUnreachable', data: { deviceId, sessionId, lastHeartbeatAt, detectedAt: meta.now } }];
    }
    case 'RevokeDevice': {
      const reason = requireText('data.reason', data.reason);
      const device = requireDevice(state, deviceId);
      if (device.status === 'Revoked') return [];
      return [{ type: 'DeviceRevoked', data: { deviceId, reason, revokedBy: meta.actor, revokedAt: meta.now } }];
    }
    case 'UpdateDeviceLabels': {
      const labels = requireLabels('data.labels', data.labels);
      const device = requireLiveDevice(state, deviceId, command.type);
      if (sameValue(device.labels, labels)) return [];
      return [{ type: 'DeviceLabelsUpdated', data: { deviceId, labels, updatedAt: meta.now, updatedBy: meta.actor } }];
    }
    case 'AssignGateway': {
      const gatewayId = requireName('data.gatewayId', data.gatewayId);
      const device = requireLiveDevice(state, deviceId, command.type);
      if (device.assignedGateway === gatewayId) return [];
      return [
        {
          type: 'DeviceGatewayAssigned',
          data: { deviceId, gatewayId, previousGatewayId: device.assignedGateway, assignedAt: meta.now, assignedBy: meta.actor },
        },
      ];
    }
    case 'ReportCapabilities': {
      const capabilities = requireCapabilities('data.capabilities', data.capabilities);
      const device = requireDevice(state, deviceId);
      if (!isEnrolled(device)) throw new InvalidTransition(command.type, 'device', deviceId, device.status);
      if (sameValue(device.capabilities, capabilities)) return [];
      return [{ type: 'DeviceCapabilitiesReported', data: { deviceId, capabilities, reportedAt: meta.now } }];
    }
    default:
      return unknownCommand('device', command);
  }
}

/**
 * A gateway forwards a connecting device's key. Pre-registered devices are admitted
 * on a matching key; unknown devices only while the gateway is in pairing mode.
 */
function decideEnrollment(
  deviceId: string,
  raw: RequestEnrollment['data'],
  state: DeviceState,
  meta: CommandMetadata,
): DeviceEvent[] {
  const publicKey = requirePublicKey('data.publicKey', raw.publicKey);
  const gatewayId = requireName('data.gatewayId', raw.gatewayId);
  const capabilities = requireCapabilities('data.capabilities', raw.capabilities);
  const pairingModeActive = requireBoolean('data.pairingModeActive', raw.pairingModeActive);
  const autoApprove = requireBoolean('data.autoApprove', raw.autoApprove);
  const request = { gatewayId, capabilities };

  if (state.status === 'Initial') {
    if (!pairingModeActive) throw new EnrollmentRefused(deviceId, 'pairing mode is off');
    const requested = enrollmentRequested({ deviceId, publicKey }, request, meta);
    return autoApprove ? [requested, enrolled({ deviceId, publicKey }, request, 'auto', meta)] : [requested];
  }
  if (state.status === 'Revoked') throw new EnrollmentRefused(deviceId, 'device is revoked');
  if (state.publicKey !== publicKey) throw new EnrollmentRefused(deviceId, 'public key does not match');

  switch (state.status) {
    case 'Pending':
      return [enrolled(state, request, 'preRegistered', meta)];
    case 'Enrolling': {
      if (pairingModeActive && autoApprove) return [enrolled(state, request, 'auto', meta)];
      // The device reconnected while waiting: refresh the request only if something changed.
      const pending = state.pendingEnrollment;
      if (pending?.gatewayId === gatewayId && sameValue(pending.capabilities, capabilities)) return [];
      return [enrollmentRequested(state, request, meta)];
    }
    default:
      // Already admitted with this key: nothing to record, the gateway goes on to MarkConnected.
      return [];
  }
}

type EnrollmentRequest = Pick<PendingEnrollment, 'gatewayId' | 'capabilities'>;
type DeviceKey = Pick<Device, 'deviceId' | 'publicKey'>;

function enrollmentRequested({ deviceId, publicKey }: DeviceKey, request: EnrollmentRequest, meta: CommandMetadata): DeviceEvent {
  return { type: 'DeviceEnrollmentRequested', data: { deviceId, publicKey, ...request, requestedAt: meta.now } };
}

function enrolled(
  { deviceId, publicKey }: DeviceKey,
  { gatewayId, capabilities }: EnrollmentRequest,
  approval: EnrollmentApproval,
  meta: CommandMetadata,
): DeviceEvent {
  return {
    type: 'DeviceEnrolled',
    data: { deviceId, publicKey, gatewayId, capabilities, approval, approvedBy: meta.actor, enrolledAt: meta.now },
  };
}

function requireDevice(state: DeviceState, deviceId: string): Device {
  if (state.status === 'Initial') throw new DeviceNotFound(deviceId);
  return state;
}

/** Operator edits apply to any device that is not revoked. */
function requireLiveDevice(state: DeviceState, deviceId: string, command: string): Device {
  const device = requireDevice(state, deviceId);
  if (device.status === 'Revoked') throw new InvalidTransition(command, 'device', deviceId, device.status);
  return device;
}
