import { unknownEvent } from '../shared/assert-never';
import { UnexpectedEvent } from '../shared/errors';
import type { DeviceEvent } from './events';
import type { Device, DeviceRevocation, DeviceState } from './state';

export function evolveDevice(state: DeviceState, event: DeviceEvent): DeviceState {
  switch (event.type) {
    case 'DeviceRegistered': {
      if (state.status !== 'Initial') throw new UnexpectedEvent('device', event.type, state.status);
      const d = event.data;
      return {
        status: 'Pending',
        deviceId: d.deviceId,
        publicKey: d.publicKey,
        board: d.board,
        architecture: d.architecture,
        labels: d.labels,
        assignedGateway: d.preferredGateway,
        pendingEnrollment: null,
        capabilities: null,
        session: null,
        lastHeartbeatAt: null,
        registeredAt: d.registeredAt,
        enrolledAt: null,
        revocation: null,
      };
    }
    case 'DeviceEnrollmentRequested': {
      const d = event.data;
      // First contact creates the device; a repeated request while Enrolling refreshes it.
      if (state.status !== 'Initial' && state.status !== 'Enrolling') {
        throw new UnexpectedEvent('device', event.type, state.status);
      }
      const base = state.status === 'Initial' ? null : state;
      return {
        status: 'Enrolling',
        deviceId: d.deviceId,
        publicKey: d.publicKey,
        board: d.capabilities.board,
        architecture: d.capabilities.arch,
        labels: base?.labels ?? {},
        assignedGateway: base?.assignedGateway ?? null,
        pendingEnrollment: { gatewayId: d.gatewayId, capabilities: d.capabilities, requestedAt: d.requestedAt },
        capabilities: null,
        session: null,
        lastHeartbeatAt: null,
        registeredAt: base?.registeredAt ?? d.requestedAt,
        enrolledAt: null,
        revocation: null,
      };
    }
    case 'DeviceEnrolled': {
      const device = existing(state, event.type);
      return {
        ...device,
        status: 'Enrolled',
        capabilities: event.data.capabilities,
        assignedGateway: device.assignedGateway ?? event.data.gatewayId,
        pendingEnrollment: null,
        enrolledAt: event.data.enrolledAt,
      };
    }
    case 'DeviceRejected': {
      const d = event.data;
      return revoked(existing(state, event.type), { reason: d.reason, at: d.rejectedAt, by: d.rejectedBy, rejected: true });
    }
    case 'DeviceConnected': {
      const d = event.data;
      return {
        ...existing(state, event.type),
        status: 'Connected',
        session: { sessionId: d.sessionId, gatewayId: d.gatewayId, connectedAt: d.connectedAt },
        lastHeartbeatAt: d.connectedAt,
      };
    }
    case 'DeviceDisconnected':
      return { ...existing(state, event.type), status: 'Disconnected', session: null };
    case 'DeviceUnreachable':
      return { ...existing(state, event.type), status: 'Unreachable', lastHeartbeatAt: event.data.lastHeartbeatAt };
    case 'DeviceRevoked': {
      const d = event.data;
      return revoked(existing(state, event.type), { reason: d.reason, at: d.revokedAt, by: d.revokedBy, rejected: false });
    }
    case 'DeviceLabelsUpdated':
      return { ...existing(state, event.type), labels: event.data.labels };
    case 'DeviceGatewayAssigned':
      return { ...existing(state, event.type), assignedGateway: event.data.gatewayId };
    case 'DeviceCapabilitiesReported': {
      // board/architecture stay as registered: they identify the device, capabilities describe it.
      return { ...existing(state, event.type), capabilities: event.data.capabilities };
    }
    default:
      return unknownEvent('device', event, state.status);
  }
}

function existing(state: DeviceState, eventType: string): Device {
  if (state.status === 'Initial') throw new UnexpectedEvent('device', eventType, 'Initial');
  return state;
}

/** Rejected and revoked devices end the same way: no session, no pending request, never again. */
function revoked(device: Device, revocation: DeviceRevocation): Device {
  return { ...device, status: 'Revoked', pendingEnrollment: null, session: null, revocation };
}
