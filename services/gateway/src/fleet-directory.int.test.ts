import { connect, type NatsConnection } from '@nats-io/transport-node';
import type { DeviceEvent } from '@wasmbed/domain';
import type { EventStore, RecordedEvent } from '@wasmbed/event-log';
import { openDomainEventStore } from '@wasmbed/service-kit';
import { withNats } from '@wasmbed/testing';
import { FleetCommands } from './fleet-commands';
import { FleetDirectory, type KnownDeviceStream } from './fleet-directory';
import { silentLogger } from './logger';
import { eventually, registerDevice } from './test-support/fleet';

const nats = withNats();
let nc: NatsConnection;
let store: EventStore;
let directory: FleetDirectory;

beforeAll(async () => {
  nc = await connect({ servers: nats().url, noAsyncTraces: true });
  store = await openDomainEventStore(nc);
  directory = await FleetDirectory.start(store, 'gateway-1', silentLogger);
});
afterAll(async () => {
  await directory?.stop();
  await store?.close();
  await nc?.close();
});

const KEY = 'ab'.repeat(32);
const CAPABILITIES = { firmware: 'fw 1', board: 'b', arch: 'armv7m', ramBytes: 1024, maxModuleBytes: 1024, maxInstances: 1, hostFunctions: [] };

describe('FleetDirectory device streams', () => {
  it('knows each device stream’s state and version, Initial at 0 when unseen', async () => {
    expect(directory.deviceStream('nobody')).toEqual({ state: { status: 'Initial' }, streamVersion: 0 });
    const registered = await registerDevice(store, 'known-1', KEY);
    await directory.waitForPosition(registered.nextExpectedVersion, 10_000);
    expect(directory.deviceStream('known-1')).toEqual({ state: registered.state, streamVersion: registered.nextExpectedVersion });
  });

  it('moves to a commit’s version only once all its events are folded', async () => {
    const commands = new FleetCommands(store, 'gateway-1');
    const seen: { type: string; known: KnownDeviceStream }[] = [];
    const unlisten = directory.onEvent((event: RecordedEvent) => {
      if (event.stream.aggregateId === 'two-step') seen.push({ type: event.type, known: directory.deviceStream('two-step') });
    });
    try {
      const before = await registerDevice(store, 'two-step', 'cd'.repeat(32));
      const enrolled = await commands.device('RequestEnrollment', {
        deviceId: 'two-step',
        publicKey: 'cd'.repeat(32),
        gatewayId: 'gateway-1',
        pairingModeActive: false,
        autoApprove: false,
        capabilities: CAPABILITIES,
      });
      const connected = await commands.devices('two-step', [
        { type: 'MarkConnected', data: { deviceId: 'two-step', gatewayId: 'gateway-1', sessionId: 'session-1' } },
        { type: 'ReportCapabilities', data: { deviceId: 'two-step', capabilities: { ...CAPABILITIES, firmware: 'fw 2' } } },
      ]);
      expect(connected.events.map((e) => (e as RecordedEvent<DeviceEvent>).type)).toEqual(['DeviceConnected', 'DeviceCapabilitiesReported']);
      await eventually(() => seen.length === 4, 10_000, 'every event seen');
      expect(seen.map((s) => [s.type, s.known.streamVersion])).toEqual([
        ['DeviceRegistered', before.nextExpectedVersion],
        ['DeviceEnrolled', enrolled.nextExpectedVersion],
        // Mid-commit the version is still the previous commit's: a write decided on this view conflicts.
        ['DeviceConnected', enrolled.nextExpectedVersion],
        ['DeviceCapabilitiesReported', connected.nextExpectedVersion],
      ]);
      expect(directory.deviceStream('two-step')).toEqual({ state: connected.state, streamVersion: connected.nextExpectedVersion });
    } finally {
      unlisten();
    }
  });

  it('refuses a command list naming another device', async () => {
    const commands = new FleetCommands(store, 'gateway-1');
    await expect(commands.devices('one', [{ type: 'MarkDisconnected', data: { deviceId: 'other', sessionId: 's', reason: 'r' } }])).rejects.toThrow(/every command must name device 'one'/);
  });
});
