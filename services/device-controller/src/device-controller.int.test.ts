import { connect, type NatsConnection } from '@nats-io/transport-node';
import { LivenessStore } from '@wasmbed/device-bus';
import type { JetStreamEventStore, RecordedEvent } from '@wasmbed/event-log';
import { createJsonLogger, openDomainEventStore } from '@wasmbed/service-kit';
import { eventually, withNats } from '@wasmbed/testing';
import { startDeviceController, type RunningDeviceController } from './app';
import type { DeviceControllerConfig } from './config';
import { ENROLLMENT_EXPIRED_REASON } from './rules/enrollment';
import { CAPABILITIES } from './test-support/fleet-fixture';
import { send, sleep, streamOf } from './test-support/event-log';
import { Heartbeats, connectDevice, freshRecord, gatewayActorOf as gateway, onlineGateway } from './test-support/live-fleet';

const HEARTBEAT_MS = 200;
/** 3 missed heartbeats + one interval. */
const THRESHOLD_MS = 800;
const KEY = (n: number) => n.toString(16).padStart(2, '0').repeat(32);

const nats = withNats();
let nc: NatsConnection;
let store: JetStreamEventStore;
let liveness: LivenessStore;
let controller: RunningDeviceController | undefined;
let heartbeats: Heartbeats;
// The controller's log, for a look when a test fails (WASMBED_TEST_LOGS=1 prints it).
const logLines: string[] = [];

function config(): DeviceControllerConfig {
  return {
    natsUrl: nats().url,
    http: { host: '127.0.0.1', port: 0 },
    heartbeatIntervalMs: HEARTBEAT_MS,
    missedHeartbeats: 3,
    reconcileMs: 100,
    enrollmentTtlMs: 1_500,
    autoApproveBoards: ['stm32f4'],
    moveRetryMs: 30_000,
    movesPerPass: 100,
    logLevel: 'debug',
  };
}

const start = () => startDeviceController(config(), { logger: createJsonLogger('device-controller', 'debug', (line) => logLines.push(line)), processMetrics: false });
const byController = (events: RecordedEvent[], type: string) => events.filter((e) => e.type === type && e.metadata.actor === 'device-controller');


async function requestEnrollment(deviceId: string, key: string, board: string): Promise<void> {
  await send(store, gateway('gw-a'), {
    type: 'RequestEnrollment',
    data: { deviceId, publicKey: key, gatewayId: 'gw-a', pairingModeActive: true, autoApprove: false, capabilities: { ...CAPABILITIES, board } },
  });
}

async function getJson(path: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`http://127.0.0.1:${controller!.httpPort}${path}`);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

beforeAll(async () => {
  nc = await connect({ servers: nats().url });
  store = await openDomainEventStore(nc);
  liveness = await LivenessStore.open(nc);
  heartbeats = new Heartbeats(liveness, HEARTBEAT_MS);

  await onlineGateway(store, 'gw-a', 'a-1');
  await onlineGateway(store, 'gw-b', 'b-1');
  // d-alive's gateway keeps its record fresh; d-crash's gateway wrote one record and died.
  await connectDevice(store, 'd-alive', KEY(1), 'gw-a', 'sess-alive');
  heartbeats.keepAlive('d-alive', 'gw-a', 'sess-alive');
  await connectDevice(store, 'd-crash', KEY(2), 'gw-b', 'sess-crash');
  await liveness.put(freshRecord('d-crash', 'gw-b', 'sess-crash'));

  await send(store, 'operator', { type: 'SetPairingMode', data: { gatewayId: 'gw-a', enabled: true, durationSeconds: 1 } });
  await requestEnrollment('d-waiting', KEY(3), 'esp32');
  await requestEnrollment('d-trusted', KEY(4), 'stm32f4');

  controller = await start();
});

afterAll(async () => {
  if (process.env.WASMBED_TEST_LOGS === '1') process.stderr.write(logLines.join(''));
  heartbeats?.stopAll();
  await controller?.stop();
  await store?.close();
  await nc?.close();
});

describe('device-controller on a real event log and liveness bucket', () => {
  it('becomes ready once the fleet log is caught up', async () => {
    await eventually('readiness', async () => (await getJson('/readyz')).status === 200, 15_000);
    expect((await getJson('/healthz')).body).toEqual({ status: 'ok' });
  });

  it('marks the device of a crashed gateway unreachable, with its last heartbeat, and the gateway offline', async () => {
    const [recorded] = await eventually('d-crash unreachable', async () => {
      const events = byController(await streamOf(store, 'device', 'd-crash'), 'DeviceUnreachable');
      return events.length > 0 && events;
    }, 15_000);
    const last = await liveness.get('d-crash');
    expect(recorded.data).toMatchObject({ deviceId: 'd-crash', sessionId: 'sess-crash', lastHeartbeatAt: last!.lastHeartbeatAt });
    const offline = await eventually('gw-b offline', async () => {
      const events = byController(await streamOf(store, 'gateway', 'gw-b'), 'GatewayOffline');
      return events.length > 0 && events;
    }, 15_000);
    expect(offline.map((e) => e.data)).toEqual([expect.objectContaining({ gatewayId: 'gw-b', instanceId: 'b-1' })]);
  });

  it('never marks a device whose records stay fresh, nor its gateway', async () => {
    await sleep(3 * THRESHOLD_MS);
    expect((await streamOf(store, 'device', 'd-alive')).map((e) => e.type)).not.toContain('DeviceUnreachable');
    expect((await streamOf(store, 'gateway', 'gw-a')).map((e) => e.type)).not.toContain('GatewayOffline');
  });

  it('closes the pairing window in the log once it is over', async () => {
    const closed = await eventually('pairing window closed', async () => {
      const events = byController(await streamOf(store, 'gateway', 'gw-a'), 'PairingModeDisabled');
      return events.length > 0 && events;
    }, 15_000);
    expect(closed).toHaveLength(1);
    const opened = (await streamOf(store, 'gateway', 'gw-a')).find((e) => e.type === 'PairingModeEnabled')!;
    expect(Date.parse(closed[0].metadata.timestamp)).toBeGreaterThanOrEqual(Date.parse((opened.data as { until: string }).until));
  });

  it('rejects an expired enrollment request and approves one from a listed board', async () => {
    const rejected = await eventually('d-waiting rejected', async () => byController(await streamOf(store, 'device', 'd-waiting'), 'DeviceRejected')[0], 15_000);
    expect(rejected.data).toMatchObject({ reason: ENROLLMENT_EXPIRED_REASON, rejectedBy: 'device-controller' });
    const enrolled = await eventually('d-trusted approved', async () => byController(await streamOf(store, 'device', 'd-trusted'), 'DeviceEnrolled')[0], 15_000);
    expect(enrolled.data).toMatchObject({ approval: 'manual', approvedBy: 'device-controller' });
    expect((await streamOf(store, 'device', 'd-trusted')).map((e) => e.type)).not.toContain('DeviceRejected');
  });

  it('gives a device and its gateway back when the "crashed" gateway turns out alive', async () => {
    heartbeats.keepAlive('d-crash', 'gw-b', 'sess-crash');
    await eventually('d-crash connected again', async () => byController(await streamOf(store, 'device', 'd-crash'), 'DeviceConnected').length === 1, 15_000);
    const online = await eventually('gw-b online again', async () => byController(await streamOf(store, 'gateway', 'gw-b'), 'GatewayOnline')[0], 15_000);
    expect(online.data).toMatchObject({ gatewayId: 'gw-b', instanceId: 'b-1' });
  });

  it('shows a device connected away from its assigned gateway in /status and /metrics', async () => {
    await send(store, 'operator', { type: 'AssignGateway', data: { deviceId: 'd-alive', gatewayId: 'gw-b' } });
    const status = await eventually('misplaced d-alive', async () => {
      const { body } = await getJson('/status');
      return (body.misplaced as unknown[]).length > 0 && body;
    }, 15_000);
    expect(status.misplaced).toEqual([expect.objectContaining({ deviceId: 'd-alive', assignedGateway: 'gw-b', connectedGateway: 'gw-a', sessionId: 'sess-alive' })]);
    expect(status).toMatchObject({ ready: true, devices: { Connected: 2, Revoked: 1, Enrolled: 1 }, gateways: { Online: 2 } });
    const metrics = await (await fetch(`http://127.0.0.1:${controller!.httpPort}/metrics`)).text();
    expect(metrics).toContain('wasmbed_device_controller_misplaced_devices 1');
    expect(metrics).toContain('wasmbed_device_controller_devices{status="Connected"} 2');
    expect(metrics).toMatch(/wasmbed_device_controller_actions_total\{action="mark_unreachable",outcome="applied"\} 1\n/);
    expect(metrics).toMatch(/wasmbed_device_controller_actions_total\{action="expire_enrollment",outcome="applied"\} 1\n/);
  });

  it('writes nothing more after a restart: every rule is already satisfied', async () => {
    await controller!.stop();
    const head = await store.headPosition('fleet');
    controller = await start();
    await eventually('restarted controller ready', async () => (await getJson('/readyz')).status === 200, 15_000);
    // Past its grace period, so every rule has had several passes to act.
    await sleep(3 * THRESHOLD_MS);
    const { body } = await getJson('/status');
    expect(body.lastPass).toMatchObject({ planned: 0 });
    expect(await store.headPosition('fleet')).toBe(head);
    expect(byController(await streamOf(store, 'device', 'd-crash'), 'DeviceUnreachable')).toHaveLength(1);
    expect(byController(await streamOf(store, 'gateway', 'gw-b'), 'GatewayOffline')).toHaveLength(1);
  });

  it('answers 405 to writes and 404 to unknown paths', async () => {
    expect((await fetch(`http://127.0.0.1:${controller!.httpPort}/status`, { method: 'POST' })).status).toBe(405);
    expect((await getJson('/nope')).status).toBe(404);
  });
});
