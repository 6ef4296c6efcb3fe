import { randomUUID } from 'node:crypto';
import {
  deviceDecider,
  gatewayDecider,
  type DeviceCommand,
  type DeviceEvent,
  type DeviceState,
  type GatewayCommand,
  type GatewayEvent,
  type GatewayState,
} from '@wasmbed/domain';
import { handleCommand, type EventStore, type HandleCommandResult } from '@wasmbed/event-log';

type DataOf<C extends { type: string; data: unknown }, T extends C['type']> = Extract<C, { type: T }>['data'];

/**
 * The gateway's writes to the event log: one domain command against one device or
 * gateway stream (load → decide → append), stamped with the gateway as actor
 * unless a caller (an admin) is named.
 */
export class FleetCommands {
  constructor(
    private readonly store: EventStore,
    private readonly gatewayId: string,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  get actor(): string {
    return `gateway:${this.gatewayId}`;
  }

  device<T extends DeviceCommand['type']>(
    type: T,
    data: DataOf<DeviceCommand, T> & { deviceId: string },
  ): Promise<HandleCommandResult<DeviceEvent, DeviceState>> {
    const now = this.clock().toISOString();
    const command = { type, data, metadata: { now, actor: this.actor } } as DeviceCommand;
    return handleCommand({
      store: this.store,
      decider: deviceDecider,
      stream: { aggregateType: 'device', aggregateId: data.deviceId },
      command,
      metadata: this.metadata(now, this.actor),
    });
  }

  /** A command on this gateway's own aggregate. */
  gateway<T extends GatewayCommand['type']>(
    type: T,
    data: Omit<DataOf<GatewayCommand, T>, 'gatewayId'>,
    actor: string = this.actor,
  ): Promise<HandleCommandResult<GatewayEvent, GatewayState>> {
    const now = this.clock().toISOString();
    const command = { type, data: { ...data, gatewayId: this.gatewayId }, metadata: { now, actor } } as GatewayCommand;
    return handleCommand({
      store: this.store,
      decider: gatewayDecider,
      stream: { aggregateType: 'gateway', aggregateId: this.gatewayId },
      command,
      metadata: this.metadata(now, actor),
    });
  }

  private metadata(now: string, actor: string) {
    const commandId = randomUUID();
    return { commandId, correlationId: commandId, actor, now };
  }
}
