// Test-only (excluded from the build): writing and reading the real event log as
// gateways and operators do, and waiting for the controller's asynchronous work.
import { randomUUID } from 'node:crypto';
import { deviceDecider, gatewayDecider, type DeviceCommand, type GatewayCommand } from '@wasmbed/domain';
import { handleCommand, type EventStore, type RecordedEvent } from '@wasmbed/event-log';
import type { Unstamped } from '../actions';

/** One command through the domain, as `actor`, with a fresh command id. */
export async function send(store: EventStore, actor: string, command: Unstamped<DeviceCommand> | Unstamped<GatewayCommand>): Promise<RecordedEvent[]> {
  const now = new Date().toISOString();
  const commandId = randomUUID();
  const metadata = { commandId, correlationId: commandId, actor, now };
  const stamped = { ...command, metadata: { now, actor } };
  if ('deviceId' in command.data) {
    const stream = { aggregateType: 'device', aggregateId: command.data.deviceId };
    return (await handleCommand({ store, decider: deviceDecider, stream, command: stamped as DeviceCommand, metadata })).events;
  }
  const stream = { aggregateType: 'gateway', aggregateId: command.data.gatewayId };
  return (await handleCommand({ store, decider: gatewayDecider, stream, command: stamped as GatewayCommand, metadata })).events;
}

export async function streamOf(store: EventStore, aggregateType: 'device' | 'gateway', aggregateId: string): Promise<RecordedEvent[]> {
  return (await store.readStream({ aggregateType, aggregateId })).events;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
