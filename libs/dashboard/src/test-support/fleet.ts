// Test-only: a small fleet in the real event log, written the way the gateway
// and the app-controller write it (the dashboard test runs neither).
import { createHash } from 'node:crypto';
import { applicationDecider, deviceDecider, type DeviceCapabilities } from '@wasmbed/domain';
import { handleCommand, type EventStore } from '@wasmbed/event-log';

/** What a simulated nRF52840 reports (the dashboard shows board and firmware of devices waiting for approval). */
const CAPABILITIES: DeviceCapabilities = { firmware: 'wasmbed-fw 0.9', board: 'nrf52840dk', arch: 'thumbv7em', ramBytes: 256 * 1024, maxModuleBytes: 128 * 1024, maxInstances: 2, hostFunctions: ['wasmbed.log'] };

let commands = 0;
const meta = (actor: string) => ({ commandId: `dashboard-it-${++commands}`, correlationId: 'dashboard-it', actor, now: new Date() });
const now = () => new Date().toISOString();

export const publicKeyOf = (device: string): string => createHash('sha256').update(device).digest('hex');

function device(store: EventStore, deviceId: string, command: Parameters<typeof deviceDecider.decide>[0]) {
  return handleCommand({ store, decider: deviceDecider, stream: { aggregateType: 'device', aggregateId: deviceId }, command, metadata: meta('gateway:it') });
}

export async function registerDevice(store: EventStore, deviceId: string, labels: Record<string, string>, board = 'nrf52840dk'): Promise<void> {
  const metadata = { now: now(), actor: 'it' };
  await device(store, deviceId, { type: 'RegisterDevice', data: { deviceId, publicKey: publicKeyOf(deviceId), board, architecture: 'thumbv7em', labels }, metadata });
}

/** A registered device connecting through `gatewayId`: enrolled with its key, then connected. */
export async function connectDevice(store: EventStore, deviceId: string, gatewayId: string): Promise<void> {
  const metadata = { now: now(), actor: `gateway:${gatewayId}` };
  await device(store, deviceId, {
    type: 'RequestEnrollment',
    data: { deviceId, publicKey: publicKeyOf(deviceId), gatewayId, pairingModeActive: false, autoApprove: false, capabilities: CAPABILITIES },
    metadata,
  });
  await device(store, deviceId, { type: 'MarkConnected', data: { deviceId, gatewayId, sessionId: `s-${deviceId}` }, metadata });
}

/** An unknown key connecting while pairing mode is on: it waits in Enrolling for an operator. */
export async function requestPairing(store: EventStore, deviceId: string, gatewayId: string): Promise<void> {
  await device(store, deviceId, {
    type: 'RequestEnrollment',
    data: { deviceId, publicKey: publicKeyOf(deviceId), gatewayId, pairingModeActive: true, autoApprove: false, capabilities: CAPABILITIES },
    metadata: { now: now(), actor: `gateway:${gatewayId}` },
  });
}

export type Outcome = { device: string; kind: 'running'; sha256: string } | { device: string; kind: 'failed'; reason: string };

/** What the app-controller records as devices report on a rollout of `revision`. */
export async function recordOutcomes(store: EventStore, applicationId: string, revision: number, outcomes: readonly Outcome[]): Promise<void> {
  const metadata = { now: now(), actor: 'app-controller' };
  await handleCommand({
    store,
    decider: applicationDecider,
    stream: { aggregateType: 'application', aggregateId: applicationId },
    command: {
      type: 'RecordDeviceOutcomes',
      data: {
        applicationId,
        outcomes: outcomes.flatMap((o) => [{ device: o.device, revision, kind: 'started' as const }, { ...o, revision }]),
      },
      metadata,
    },
    metadata: meta('app-controller'),
  });
}
