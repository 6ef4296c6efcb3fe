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
import { ValidationError } from '@wasmbed/errors';
import { handleCommand, type Decider, type EventStore, type HandleCommandResult } from '@wasmbed/event-log';
import type { KnownDeviceStream } from './fleet-directory';

type DataOf<C extends { type: string; data: unknown }, T extends C['type']> = Extract<C, { type: T }>['data'];

/** One device command, as FleetCommands.devices() takes a list of them. */
export type DeviceCommandInput = { [T in DeviceCommand['type']]: { readonly type: T; readonly data: DataOf<DeviceCommand, T> & { deviceId: string } } }[DeviceCommand['type']];

/**
 * Device commands decided one after another, each on the state the previous ones
 * left: their events are exactly those of the commands run in turn, recorded in one
 * commit (all or nothing).
 */
const deviceCommandSequence: Decider<readonly DeviceCommand[], DeviceEvent, DeviceState> = {
  initialState: deviceDecider.initialState,
  evolve: deviceDecider.evolve,
  decide(commands, state) {
    const events: DeviceEvent[] = [];
    let current = state;
    for (const command of commands) {
      const decided = deviceDecider.decide(command, current);
      for (const event of decided) current = deviceDecider.evolve(current, event);
      events.push(...decided);
    }
    return events;
  },
};

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

  /**
   * `known`: the device stream as the caller holds it (the fleet directory's fold,
   * or an earlier result): the command is then decided without reading the stream,
   * which the store's version check keeps honest (a stale view costs one read).
   */
  device<T extends DeviceCommand['type']>(
    type: T,
    data: DataOf<DeviceCommand, T> & { deviceId: string },
    known?: KnownDeviceStream,
  ): Promise<HandleCommandResult<DeviceEvent, DeviceState>> {
    const now = this.clock().toISOString();
    const command = { type, data, metadata: { now, actor: this.actor } } as DeviceCommand;
    return handleCommand({
      store: this.store,
      decider: deviceDecider,
      stream: { aggregateType: 'device', aggregateId: data.deviceId },
      command,
      metadata: this.metadata(now, this.actor),
      knownState: known,
    });
  }

  /** Commands on one device decided in turn and recorded as one commit (e.g. MarkConnected with ReportCapabilities). */
  async devices(deviceId: string, inputs: readonly DeviceCommandInput[], known?: KnownDeviceStream): Promise<HandleCommandResult<DeviceEvent, DeviceState>> {
    if (inputs.some((input) => input.data.deviceId !== deviceId)) throw new ValidationError(`every command must name device '${deviceId}'`);
    const now = this.clock().toISOString();
    const commands = inputs.map((input) => ({ ...input, metadata: { now, actor: this.actor } }) as DeviceCommand);
    return handleCommand({
      store: this.store,
      decider: deviceCommandSequence,
      stream: { aggregateType: 'device', aggregateId: deviceId },
      command: commands,
      metadata: this.metadata(now, this.actor),
      knownState: known,
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
