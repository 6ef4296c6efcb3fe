import type { DeviceEntry, GatewayEntry } from '../fleet-state';

/**
 * Connected devices per gateway: those with a session there, and those assigned
 * there but connected elsewhere (on their way in). Both hold, or will hold, one of
 * its `capacity` slots.
 */
export function gatewayLoads(devices: ReadonlyMap<string, DeviceEntry>): Map<string, number> {
  const loads = new Map<string, number>();
  const add = (gatewayId: string) => loads.set(gatewayId, (loads.get(gatewayId) ?? 0) + 1);
  for (const { device } of devices.values()) {
    if (device.status !== 'Connected' || device.session === null) continue;
    add(device.session.gatewayId);
    if (device.assignedGateway !== null && device.assignedGateway !== device.session.gatewayId) add(device.assignedGateway);
  }
  return loads;
}

/** Sessions open on each gateway, as the log shows them. */
export function sessionCounts(devices: ReadonlyMap<string, DeviceEntry>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const { device } of devices.values()) {
    if (device.status === 'Connected' && device.session !== null) counts.set(device.session.gatewayId, (counts.get(device.session.gatewayId) ?? 0) + 1);
  }
  return counts;
}

/** Why devices cannot be sent to this gateway now, or undefined when they can: Online, not draining, an endpoint recorded. */
export function unfitTarget(gatewayId: string, entry: GatewayEntry | undefined): string | undefined {
  if (entry === undefined) return `gateway '${gatewayId}' is not registered`;
  const { status, draining, config } = entry.gateway;
  if (status === 'Deregistered') return `gateway '${gatewayId}' is deregistered`;
  if (draining) return `gateway '${gatewayId}' is draining`;
  if (status !== 'Online') return `gateway '${gatewayId}' is ${status === 'Registered' ? 'not online yet' : 'offline'}`;
  if (config.endpoint === '') return `gateway '${gatewayId}' has no endpoint recorded`;
  return undefined;
}
