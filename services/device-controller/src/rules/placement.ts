import type { DeviceEntry } from '../fleet-state';

/** A device connected through another gateway than the one it is assigned to. */
export interface MisplacedDevice {
  readonly deviceId: string;
  readonly assignedGateway: string;
  readonly connectedGateway: string;
  readonly sessionId: string;
  readonly connectedAt: string;
}

/**
 * Nothing in the protocol moves a connected device to another gateway (no redirect
 * in Bye), so a reassignment only takes effect at the device's next reconnect; until
 * then it is reported as a condition, not acted on.
 */
export function misplacedDevice(entry: DeviceEntry): MisplacedDevice | undefined {
  const { device } = entry;
  const session = device.session;
  if (device.status !== 'Connected' || session === null || device.assignedGateway === null) return undefined;
  if (session.gatewayId === device.assignedGateway) return undefined;
  return {
    deviceId: device.deviceId,
    assignedGateway: device.assignedGateway,
    connectedGateway: session.gatewayId,
    sessionId: session.sessionId,
    connectedAt: session.connectedAt,
  };
}
