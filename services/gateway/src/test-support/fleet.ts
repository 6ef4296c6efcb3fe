// Test-only: the event log as the control plane sees it. Excluded from the build.
import { randomUUID } from 'node:crypto';
import { deviceDecider, gatewayDecider, type DeviceCommand, type GatewayCommand } from '@wasmbed/domain';
import { handleCommand, type Decider, type EventStore, type StreamRef } from '@wasmbed/event-log';

type DataOf<C extends { type: string; data: unknown }, T extends C['type']> = Extract<C, { type: T }>['data'];

/** Runs one command on one stream as an operator would through the api. */
function operatorCommand<C extends { type: string; data: unknown }, E extends { type: string; data: unknown }, S>(
  store: EventStore,
  decider: Decider<C, E, S>,
  stream: StreamRef,
  type: C['type'],
  data: unknown,
) {
  const now = new Date().toISOString();
  const commandId = randomUUID();
  return handleCommand({
    store,
    decider,
    stream,
    command: { type, data, metadata: { now, actor: 'operator' } } as unknown as C,
    metadata: { commandId, correlationId: commandId, actor: 'operator', now },
  });
}

export function deviceCommand<T extends DeviceCommand['type']>(store: EventStore, type: T, data: DataOf<DeviceCommand, T> & { deviceId: string }) {
  return operatorCommand(store, deviceDecider, { aggregateType: 'device', aggregateId: data.deviceId }, type, data);
}

export function gatewayCommand<T extends GatewayCommand['type']>(store: EventStore, type: T, data: DataOf<GatewayCommand, T>) {
  return operatorCommand(store, gatewayDecider, { aggregateType: 'gateway', aggregateId: data.gatewayId }, type, data);
}

export function registerDevice(store: EventStore, deviceId: string, publicKey: string) {
  return deviceCommand(store, 'RegisterDevice', { deviceId, publicKey, board: 'test-board', architecture: 'armv7m' });
}

/** Event types of a device stream, in order. */
export async function deviceEventTypes(store: EventStore, deviceId: string): Promise<string[]> {
  const { events } = await store.readStream({ aggregateType: 'device', aggregateId: deviceId });
  return events.map((e) => e.type);
}

export async function deviceStatus(store: EventStore, deviceId: string): Promise<string> {
  const { events } = await store.readStream({ aggregateType: 'device', aggregateId: deviceId });
  let state = deviceDecider.initialState as ReturnType<typeof deviceDecider.evolve>;
  if (typeof state === 'function') state = (state as () => typeof state)();
  for (const e of events) state = deviceDecider.evolve(state, { type: e.type, data: e.data } as never);
  return state.status;
}

/** Polls until `check` holds (the gateway writes the log asynchronously). */
export async function eventually<T>(check: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 20_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`${what} not met within ${timeoutMs} ms${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
