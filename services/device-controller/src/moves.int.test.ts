import { connect, type NatsConnection, type Subscription } from '@nats-io/transport-node';
import { LivenessStore, serveDeviceCommands, type DeviceBusCommand, type DeviceCommandReply } from '@wasmbed/device-bus';
import type { JetStreamEventStore } from '@wasmbed/event-log';
import { createJsonLogger, openDomainEventStore } from '@wasmbed/service-kit';
import { eventually, withNats } from '@wasmbed/testing';
import { startDeviceController, type RunningDeviceController } from './app';
import type { MisplacedDevice } from './rules/placement';
import type { DrainStatus } from './rules/drain';
import { send, sleep, streamOf } from './test-support/event-log';
import { Heartbeats, connectDevice, gatewayActorOf, onlineGateway } from './test-support/live-fleet';

const HEARTBEAT_MS = 200;
const MOVE_RETRY_MS = 600;
const KEY = (n: number) => (n + 0x40).toString(16).padStart(2, '0').repeat(32);

const nats = withNats();
let nc: NatsConnection;
let store: JetStreamEventStore;
let heartbeats: Heartbeats;
let controller: RunningDeviceController | undefined;
const logLines: string[] = [];

/**
 * Plays the gateways on the device bus, as services/gateway answers RebalanceDevice:
 * for the session it holds, "sends the device away" — the device then shows up at
 * the gateway whose endpoint it was given, which records the new session. Devices in
 * `stubborn` did not announce the redirect feature: refused, they stay.
 */
class BusGateways {
  readonly received = new Map<string, DeviceBusCommand[]>();
  readonly stubborn = new Set<string>();
  private readonly sessions = new Map<string, { gatewayId: string; sessionId: string }>();
  private readonly subscriptions: Subscription[] = [];
  private sessionCount = 0;

  hold(deviceId: string, gatewayId: string, sessionId: string): void {
    this.sessions.set(deviceId, { gatewayId, sessionId });
    heartbeats.keepAlive(deviceId, gatewayId, sessionId);
    this.subscriptions.push(serveDeviceCommands(nc, deviceId, (command) => this.answer(deviceId, command)));
  }

  commands(deviceId: string): DeviceBusCommand[] {
    return this.received.get(deviceId) ?? [];
  }

  close(): void {
    for (const sub of this.subscriptions) sub.unsubscribe();
  }

  private async answer(deviceId: string, command: DeviceBusCommand): Promise<DeviceCommandReply> {
    this.received.set(deviceId, [...this.commands(deviceId), command]);
    const held = this.sessions.get(deviceId)!;
    if (command.type !== 'RebalanceDevice' || command.sessionId !== held.sessionId) return { ok: false, error: { code: 'failed_precondition', message: 'stale' } };
    if (this.stubborn.has(deviceId)) return { ok: false, error: { code: 'failed_precondition', message: 'no "redirect" feature' } };
    const target = command.endpoint.split('.')[0];
    const sessionId = `${deviceId}-s${++this.sessionCount}`;
    // The device arrives at the target: its gateway records the new session and heartbeats (the old one closes).
    await send(store, gatewayActorOf(target), { type: 'MarkConnected', data: { deviceId, gatewayId: target, sessionId } });
    this.sessions.set(deviceId, { gatewayId: target, sessionId });
    heartbeats.keepAlive(deviceId, target, sessionId);
    return { ok: true };
  }
}

let bus: BusGateways;

async function status(): Promise<{ misplaced: MisplacedDevice[]; drains: DrainStatus[] }> {
  const res = await fetch(`http://127.0.0.1:${controller!.httpPort}/status`);
  return (await res.json()) as { misplaced: MisplacedDevice[]; drains: DrainStatus[] };
}

async function sessionGateway(deviceId: string): Promise<string | undefined> {
  const connected = (await streamOf(store, 'device', deviceId)).filter((e) => e.type === 'DeviceConnected');
  return (connected.at(-1)?.data as { gatewayId?: string } | undefined)?.gatewayId;
}

beforeAll(async () => {
  nc = await connect({ servers: nats().url });
  store = await openDomainEventStore(nc);
  heartbeats = new Heartbeats(await LivenessStore.open(nc), HEARTBEAT_MS);
  bus = new BusGateways();
  await onlineGateway(store, 'gw-a', 'a-1');
  await onlineGateway(store, 'gw-b', 'b-1');
  for (const [n, id] of ['mover', 'stubborn', 'stayer'].entries()) {
    await connectDevice(store, id, KEY(n), 'gw-a', `${id}-s0`);
    bus.hold(id, 'gw-a', `${id}-s0`);
  }
  bus.stubborn.add('stubborn');
  controller = await startDeviceController(
    {
      natsUrl: nats().url,
      http: { host: '127.0.0.1', port: 0 },
      heartbeatIntervalMs: HEARTBEAT_MS,
      missedHeartbeats: 3,
      reconcileMs: 100,
      enrollmentTtlMs: null,
      autoApproveBoards: [],
      moveRetryMs: MOVE_RETRY_MS,
      movesPerPass: 100,
      logLevel: 'debug',
    },
    { logger: createJsonLogger('device-controller', 'debug', (line) => logLines.push(line)), processMetrics: false },
  );
});

afterAll(async () => {
  if (process.env.WASMBED_TEST_LOGS === '1') process.stderr.write(logLines.join(''));
  heartbeats?.stopAll();
  bus?.close();
  await controller?.stop();
  await store?.close();
  await nc?.close();
});

describe('moving devices between gateways, on a real event log and device bus', () => {
  it('sends a device assigned elsewhere to its new gateway once, through the gateway holding its session', async () => {
    await send(store, 'operator', { type: 'AssignGateway', data: { deviceId: 'mover', gatewayId: 'gw-b' } });
    await eventually('mover on gw-b', async () => (await sessionGateway('mover')) === 'gw-b', 15_000);
    expect(bus.commands('mover')).toEqual([{ type: 'RebalanceDevice', sessionId: 'mover-s0', endpoint: 'gw-b.lab:4423' }]);
    await eventually('mover no longer misplaced', async () => (await status()).misplaced.every((m) => m.deviceId !== 'mover'), 15_000);
    // Placed: nothing more is sent, whatever the retry delay.
    await sleep(2 * MOVE_RETRY_MS);
    expect(bus.commands('mover')).toHaveLength(1);
  });

  it('asks again, less often each time, while a device that cannot follow stays misplaced, and says why', async () => {
    await send(store, 'operator', { type: 'AssignGateway', data: { deviceId: 'stubborn', gatewayId: 'gw-b' } });
    // The status shows what was sent before the last pass planned.
    const entry = await eventually('three moves of stubborn', async () => {
      const found = (await status()).misplaced.find((m) => m.deviceId === 'stubborn');
      return found !== undefined && found.move.attempts >= 3 && found;
    }, 15_000);
    expect(entry).toMatchObject({ assignedGateway: 'gw-b', connectedGateway: 'gw-a', move: { lastResult: 'failed_precondition: no "redirect" feature' } });
    // 600 ms, then 1.2 s, then 2.4 s: three moves take at least 1.8 s.
    expect(bus.commands('stubborn').length).toBeLessThanOrEqual(4);
    expect(new Set(bus.commands('stubborn').map((c) => JSON.stringify(c)))).toEqual(new Set([JSON.stringify({ type: 'RebalanceDevice', sessionId: 'stubborn-s0', endpoint: 'gw-b.lab:4423' })]));
    const metrics = await (await fetch(`http://127.0.0.1:${controller!.httpPort}/metrics`)).text();
    expect(metrics).toMatch(/wasmbed_device_controller_actions_total\{action="move_device",outcome="applied"\} 1\n/);
    expect(metrics).toMatch(/wasmbed_device_controller_actions_total\{action="move_device",outcome="refused"\} [3-9]\n/);
  });

  it('leaves a device assigned to an unknown gateway where it is, and says why', async () => {
    await send(store, 'operator', { type: 'AssignGateway', data: { deviceId: 'stayer', gatewayId: 'gw-nowhere' } });
    const entry = await eventually('stayer blocked', async () => (await status()).misplaced.find((m) => m.deviceId === 'stayer'), 15_000);
    expect(entry.move).toEqual({ state: 'blocked', reason: "gateway 'gw-nowhere' is not registered", attempts: 0 });
    await sleep(2 * MOVE_RETRY_MS);
    expect(bus.commands('stayer')).toEqual([]);
    expect(await sessionGateway('stayer')).toBe('gw-a');
  });

  it('drains a gateway: reassigns its devices to another online gateway and moves them there', async () => {
    await send(store, 'operator', { type: 'DrainGateway', data: { gatewayId: 'gw-b' } });
    await eventually('mover back on gw-a', async () => (await sessionGateway('mover')) === 'gw-a', 15_000);
    const assigned = (await streamOf(store, 'device', 'mover')).filter((e) => e.type === 'DeviceGatewayAssigned').at(-1)!;
    expect(assigned).toMatchObject({ data: { gatewayId: 'gw-a', previousGatewayId: 'gw-b' }, metadata: { actor: 'device-controller' } });
    expect(bus.commands('mover').at(-1)).toEqual({ type: 'RebalanceDevice', sessionId: 'mover-s1', endpoint: 'gw-a.lab:4423' });
    // stubborn was assigned to gw-b too: reassigned to gw-a, where it already is.
    await eventually('drain done', async () => {
      const { drains, misplaced } = await status();
      return drains.length === 1 && drains[0].assigned === 0 && drains[0].connected === 0 && misplaced.every((m) => m.deviceId === 'stayer');
    }, 15_000);
  });
});
