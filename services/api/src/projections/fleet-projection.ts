import {
  evolveDevice,
  evolveGateway,
  initialDeviceState,
  initialGatewayState,
  type Device,
  type DeviceEvent,
  type Gateway,
  type GatewayEvent,
} from '@wasmbed/domain';
import type { RecordedEvent } from '@wasmbed/event-log';
import { defineProjection, domainEventOf, type Projection, type ProjectionDocuments } from '@wasmbed/read-models';
import { COLLECTIONS, type DeviceDoc, type GatewayDoc } from './documents';

export type FleetEvent = DeviceEvent | GatewayEvent;

/** Devices and gateways from the fleet log. */
export const fleetProjection: Projection<FleetEvent> = defineProjection<FleetEvent>({
  name: 'api_fleet',
  contexts: ['fleet'],
  async handle(recorded, documents) {
    // The aggregate type says which union the event belongs to (the fleet log holds both).
    const event = domainEventOf(recorded);
    if (recorded.stream.aggregateType === 'gateway') await applyGatewayEvent(event as GatewayEvent, recorded, documents);
    else await applyDeviceEvent(event as DeviceEvent, recorded, documents);
  },
});

async function applyDeviceEvent(event: DeviceEvent, recorded: RecordedEvent<FleetEvent>, documents: ProjectionDocuments): Promise<void> {
  const id = recorded.stream.aggregateId;
  const previous = await documents.get<DeviceDoc>(COLLECTIONS.devices, id);
  const device = evolveDevice(previous?.device ?? initialDeviceState(), event) as Device;

  // Gateways first, the device last: a redelivered event then finds the device
  // unchanged and recomputes the same gateway updates (which are skipped).
  const wasOn = connectedGateway(previous?.device);
  const isOn = connectedGateway(device);
  if (wasOn !== isOn) {
    if (wasOn) await updateConnected(documents, wasOn, id, false);
    if (isOn) await updateConnected(documents, isOn, id, true);
  }

  const doc: DeviceDoc = {
    device,
    preferredGateway: preferredGatewayAfter(event, previous?.preferredGateway ?? null),
    gateway: gatewayAfter(event, previous?.gateway ?? null),
    version: recorded.position,
  };
  await documents.put(COLLECTIONS.devices, id, doc);
}

function connectedGateway(device: Device | undefined): string | null {
  return device?.status === 'Connected' ? (device.session?.gatewayId ?? null) : null;
}

function preferredGatewayAfter(event: DeviceEvent, previous: string | null): string | null {
  if (event.type === 'DeviceRegistered') return event.data.preferredGateway;
  if (event.type === 'DeviceGatewayAssigned') return event.data.gatewayId;
  return previous;
}

function gatewayAfter(event: DeviceEvent, previous: string | null): string | null {
  switch (event.type) {
    case 'DeviceEnrollmentRequested':
    case 'DeviceEnrolled':
    case 'DeviceConnected':
      return event.data.gatewayId || previous;
    default:
      return previous;
  }
}

async function updateConnected(documents: ProjectionDocuments, gatewayId: string, deviceId: string, connected: boolean): Promise<void> {
  const doc = await documents.get<GatewayDoc>(COLLECTIONS.gateways, gatewayId);
  // A session on a gateway the log never registered has no document to count in.
  if (!doc) return;
  const others = doc.connectedDevices.filter((d) => d !== deviceId);
  const connectedDevices = connected ? [...others, deviceId].sort() : others;
  await documents.put<GatewayDoc>(COLLECTIONS.gateways, gatewayId, { ...doc, connectedDevices });
}

async function applyGatewayEvent(event: GatewayEvent, recorded: RecordedEvent<FleetEvent>, documents: ProjectionDocuments): Promise<void> {
  const id = recorded.stream.aggregateId;
  const previous = await documents.get<GatewayDoc>(COLLECTIONS.gateways, id);
  const gateway = evolveGateway(previous?.gateway ?? initialGatewayState(), event) as Gateway;
  const doc: GatewayDoc = {
    gateway,
    connectedDevices: previous?.connectedDevices ?? [],
    lastSeenAt: event.type === 'GatewayOnline' ? event.data.onlineAt : (previous?.lastSeenAt ?? null),
    version: recorded.position,
  };
  await documents.put(COLLECTIONS.gateways, id, doc);
}
