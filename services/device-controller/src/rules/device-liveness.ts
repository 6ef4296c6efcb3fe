import { deviceAction, type PlannedAction } from '../actions';
import type { DeviceEntry } from '../fleet-state';
import type { SessionLiveness } from '../session-liveness';

/**
 * Connected in the log but silent past the threshold: the gateway that should have
 * said so is gone (crashed, partitioned) → MarkUnreachable for the log's session.
 * Unreachable in the log but its session heartbeats again: the verdict was wrong
 * (e.g. the gateway was cut off from NATS and kept its sessions) → MarkConnected for
 * the same session, so the controller never fights a live gateway for long.
 */
export function deviceLivenessAction(entry: DeviceEntry, liveness: SessionLiveness): PlannedAction | undefined {
  const { device, version } = entry;
  const session = device.session;
  if (session === null) return undefined;
  const { deviceId } = device;
  const { sessionId } = session;
  if (device.status === 'Connected' && liveness.state === 'stale') {
    return deviceAction('mark_unreachable', version, sessionId, {
      type: 'MarkUnreachable',
      data: { deviceId, sessionId, lastHeartbeatAt: liveness.lastHeartbeatAt },
    });
  }
  if (device.status === 'Unreachable' && liveness.state === 'alive') {
    return deviceAction('mark_reconnected', version, sessionId, {
      type: 'MarkConnected',
      data: { deviceId, gatewayId: session.gatewayId, sessionId },
    });
  }
  return undefined;
}
