// Test-only: devices admitted the way a gateway admits them, through the event log.
import { createHash } from 'node:crypto';
import { deviceDecider, type DeviceCapabilities } from '@wasmbed/domain';
import { handleCommand, type EventStore } from '@wasmbed/event-log';

export const CAPABILITIES: DeviceCapabilities = {
  firmware: 'wasmbed-sim 1.0',
  board: 'sim',
  arch: 'wasm32',
  ramBytes: 1024 * 1024,
  maxModuleBytes: 256 * 1024,
  maxInstances: 4,
  hostFunctions: ['wasmbed.config_get', 'wasmbed.log', 'wasmbed.sensor_read', 'wasmbed.sleep_ms'],
};

let commands = 0;

async function run(store: EventStore, deviceId: string, command: Parameters<typeof deviceDecider.decide>[0]): Promise<void> {
  commands += 1;
  await handleCommand({
    store,
    decider: deviceDecider,
    stream: { aggregateType: 'device', aggregateId: deviceId },
    command,
    metadata: { commandId: `fleet-${deviceId}-${commands}`, correlationId: `fleet-${deviceId}`, actor: 'gateway:gw-test', now: new Date() },
  });
}

/** Registers the device and enrolls it through gateway gw-test with these capabilities (RequestEnrollment of a pre-registered key). */
export async function enrollDevice(store: EventStore, deviceId: string, labels: Record<string, string>, capabilities: Partial<DeviceCapabilities> = {}): Promise<void> {
  const publicKey = createHash('sha256').update(deviceId).digest('hex');
  const meta = { now: new Date().toISOString(), actor: 'gateway:gw-test' };
  await run(store, deviceId, { type: 'RegisterDevice', data: { deviceId, publicKey, board: 'sim', architecture: 'wasm32', labels }, metadata: meta });
  await run(store, deviceId, {
    type: 'RequestEnrollment',
    data: { deviceId, publicKey, gatewayId: 'gw-test', pairingModeActive: false, autoApprove: false, capabilities: { ...CAPABILITIES, ...capabilities } },
    metadata: meta,
  });
}

/** An unknown device connecting while pairing mode is on: it waits in Enrolling for an operator. */
export async function requestPairing(store: EventStore, deviceId: string): Promise<void> {
  const publicKey = createHash('sha256').update(deviceId).digest('hex');
  await run(store, deviceId, {
    type: 'RequestEnrollment',
    data: { deviceId, publicKey, gatewayId: 'gw-test', pairingModeActive: true, autoApprove: false, capabilities: CAPABILITIES },
    metadata: { now: new Date().toISOString(), actor: 'gateway:gw-test' },
  });
}
