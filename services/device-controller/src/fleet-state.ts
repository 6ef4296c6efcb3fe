import {
  deviceDecider,
  gatewayDecider,
  initialDeviceState,
  initialGatewayState,
  type Device,
  type DeviceEvent,
  type Gateway,
  type GatewayEvent,
} from '@wasmbed/domain';
import type { RecordedEvent } from '@wasmbed/event-log';

/** The actor of every command the controller sends; its own reports are told apart by it. */
export const CONTROLLER_ACTOR = 'device-controller';

export type FleetEvent = DeviceEvent | GatewayEvent;

export interface DeviceEntry {
  readonly device: Device;
  /** Position of the device's last commit: part of command ids, so a retried pass repeats the same id. */
  readonly version: number;
  /** Position of the DeviceConnected that opened the current session; null without a session. */
  readonly sessionPosition: number | null;
  /** The latest DeviceUnreachable came from this controller (evidence against the gateway, not from it). */
  readonly unreachableByController: boolean;
}

/** The latest gateway process seen online, kept after it went offline. */
export interface GatewayInstance {
  readonly instanceId: string;
  /** Position of its GatewayOnline: sessions it holds were connected after it. */
  readonly onlinePosition: number;
}

export interface GatewayEntry {
  readonly gateway: Gateway;
  readonly version: number;
  readonly instance: GatewayInstance | null;
  /** The latest GatewayOffline came from this controller. */
  readonly offlineByController: boolean;
}

/**
 * The fleet log folded with the domain's own evolve functions, plus what the
 * domain state does not keep but the controller's rules need: positions (which
 * session belongs to which gateway instance, command ids) and who reported a
 * device unreachable or a gateway offline.
 */
export class FleetState {
  readonly devices = new Map<string, DeviceEntry>();
  readonly gateways = new Map<string, GatewayEntry>();
  /** Position of the last commit folded in. */
  position = 0;

  apply(event: RecordedEvent<FleetEvent>): void {
    const domainEvent = { type: event.type, data: event.data } as FleetEvent;
    if (event.stream.aggregateType === 'gateway') this.applyGateway(event, domainEvent as GatewayEvent);
    else if (event.stream.aggregateType === 'device') this.applyDevice(event, domainEvent as DeviceEvent);
    this.position = Math.max(this.position, event.position);
  }

  private applyDevice(event: RecordedEvent<FleetEvent>, domainEvent: DeviceEvent): void {
    const id = event.stream.aggregateId;
    const before = this.devices.get(id);
    const device = deviceDecider.evolve(before?.device ?? initialDeviceState(), domainEvent);
    if (device.status === 'Initial') return;
    const byController = event.metadata.actor === CONTROLLER_ACTOR;
    this.devices.set(id, {
      device,
      version: event.position,
      sessionPosition: device.session === null ? null : domainEvent.type === 'DeviceConnected' ? event.position : (before?.sessionPosition ?? null),
      unreachableByController: domainEvent.type === 'DeviceUnreachable' ? byController : (before?.unreachableByController ?? false),
    });
  }

  private applyGateway(event: RecordedEvent<FleetEvent>, domainEvent: GatewayEvent): void {
    const id = event.stream.aggregateId;
    const before = this.gateways.get(id);
    const gateway = gatewayDecider.evolve(before?.gateway ?? initialGatewayState(), domainEvent);
    if (gateway.status === 'Initial') return;
    let instance = before?.instance ?? null;
    // The same instance reported online again (after this controller's false alarm) is the same
    // process: its sessions still date from its first GatewayOnline.
    if (domainEvent.type === 'GatewayOnline' && instance?.instanceId !== domainEvent.data.instanceId) {
      instance = { instanceId: domainEvent.data.instanceId, onlinePosition: event.position };
    }
    // A deregistered gateway that comes back starts afresh: nothing of an earlier process carries over.
    if (domainEvent.type === 'GatewayRegistered') instance = null;
    const offlineByController =
      domainEvent.type === 'GatewayOffline' ? event.metadata.actor === CONTROLLER_ACTOR : domainEvent.type === 'GatewayOnline' ? false : (before?.offlineByController ?? false);
    this.gateways.set(id, { gateway, version: event.position, instance, offlineByController });
  }
}
