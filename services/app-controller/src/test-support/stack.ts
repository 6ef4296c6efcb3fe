// Test-only: the real device path around the controller. A nats-server, the BUILT gateway as
// a process (as an operator runs it), a dev PKI, simulated devices over TLS 1.3, and the event
// log as the api would write it. Excluded from the build.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { LivenessStore, putModule, type LivenessApp } from '@wasmbed/device-bus';
import {
  applicationDecider,
  applyEvents,
  deviceDecider,
  type Application,
  type ApplicationCommand,
  type ApplicationEvent,
  type Device,
  type DeviceCommand,
  type DeviceEvent,
} from '@wasmbed/domain';
import { handleCommand, type Decider, type JetStreamEventStore, type StreamRef } from '@wasmbed/event-log';
import { ensureDevPki, ed25519KeyPairFromSeed, type DevPki } from '@wasmbed/pki';
import { openDomainEventStore } from '@wasmbed/service-kit';
import { SimDevice } from '@wasmbed/sim-device';
import { eventually, freePort, startNatsServer, type NatsTestServer } from '@wasmbed/testing';

const GATEWAY_MAIN = resolve(__dirname, '../../../gateway/dist/main.js');

type DataOf<C extends { type: string; data: unknown }, T extends C['type']> = Extract<C, { type: T }>['data'];

/** A simulated device that keeps counting the Deploy frames it receives (by appId@revision) across reboots. */
export interface TestDevice {
  readonly deviceId: string;
  readonly seed: Uint8Array;
  sim: SimDevice;
  readonly deploys: Map<string, number>;
  /** When each Deploy arrived (ms), in order. */
  readonly received: { readonly key: string; readonly at: number }[];
}

export interface ControllerStack {
  readonly nats: NatsTestServer;
  readonly nc: NatsConnection;
  readonly store: JetStreamEventStore;
  readonly liveness: LivenessStore;
  readonly logs: () => string;
  /**
   * Pre-registers the key in the fleet log and (unless `connect` is false) starts the
   * device and waits until it is connected with its capabilities recorded.
   */
  addDevice(deviceId: string, labels?: Record<string, string>, options?: { connect?: boolean }): Promise<TestDevice>;
  /** Starts a device added without connecting and waits until it is connected with its capabilities recorded. */
  connect(device: TestDevice): Promise<void>;
  /** Power-cycles the device: a new instance with the same key and no apps (as after a reboot that lost them). */
  reboot(device: TestDevice): Promise<void>;
  putModule(bytes: Uint8Array): Promise<string>;
  /** An application command as the api would run it. */
  app<T extends ApplicationCommand['type']>(type: T, data: DataOf<ApplicationCommand, T>): Promise<void>;
  application(appId: string): Promise<Application | undefined>;
  applicationEvents(appId: string): Promise<ApplicationEvent[]>;
  device(deviceId: string): Promise<Device | undefined>;
  attestedApp(deviceId: string, appId: string): Promise<LivenessApp | undefined>;
  stop(): Promise<void>;
}

async function operatorCommand<C, E extends { type: string; data: unknown }, S>(store: JetStreamEventStore, decider: Decider<C, E, S>, stream: StreamRef, type: string, data: unknown) {
  const now = new Date().toISOString();
  const commandId = randomUUID();
  return handleCommand({
    store,
    decider,
    stream,
    command: { type, data, metadata: { now, actor: 'test-operator' } } as C,
    metadata: { commandId, correlationId: commandId, actor: 'test-operator', now },
  });
}

async function gatewayReady(httpPort: number, child: ChildProcess, logs: () => string): Promise<void> {
  await eventually(
    'the gateway to be ready',
    async () => {
      if (child.exitCode !== null) throw new Error(`gateway exited with ${child.exitCode}`);
      const res = await fetch(`http://127.0.0.1:${httpPort}/readyz`);
      return res.status === 200;
    },
    30_000,
    logs,
  );
}

export async function startControllerStack(): Promise<ControllerStack> {
  if (!existsSync(GATEWAY_MAIN)) throw new Error(`${GATEWAY_MAIN} is missing: cd services/gateway && npx tsc -p tsconfig.build.json`);
  const dir = await mkdtemp(join(tmpdir(), 'wasmbed-app-controller-'));
  const nats = await startNatsServer();
  const sink: string[] = [];
  const logs = () => sink.join('').slice(-30_000);
  const pki: DevPki = await ensureDevPki(join(dir, 'pki'), { gatewayHosts: ['127.0.0.1', 'localhost'] });
  const [tlsPort, httpPort] = [await freePort(), await freePort()];
  const gateway = spawn(process.execPath, [GATEWAY_MAIN], {
    env: {
      ...process.env,
      WASMBED_NATS_URL: nats.url,
      WASMBED_GATEWAY_ID: 'gateway-int',
      WASMBED_GATEWAY_BIND_ADDR: `127.0.0.1:${tlsPort}`,
      WASMBED_GATEWAY_HTTP_ADDR: `127.0.0.1:${httpPort}`,
      WASMBED_GATEWAY_PRIVATE_KEY: pki.files.serverKey,
      WASMBED_GATEWAY_CERTIFICATE: pki.files.serverCert,
      WASMBED_GATEWAY_CLIENT_CA: pki.files.deviceTrust,
      WASMBED_GATEWAY_HEARTBEAT_INTERVAL_MS: '1000',
      WASMBED_LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const keep = (chunk: Buffer) => {
    sink.push(`[gateway] ${chunk.toString()}`);
    if (sink.length > 2_000) sink.splice(0, sink.length - 2_000);
  };
  gateway.stdout?.on('data', keep);
  gateway.stderr?.on('data', keep);
  const gatewayExited = new Promise<void>((done) => gateway.once('exit', () => done()));

  const nc = await connect({ servers: nats.url, noAsyncTraces: true });
  const store = await openDomainEventStore(nc);
  const liveness = await LivenessStore.open(nc);
  const devices: TestDevice[] = [];
  try {
    await gatewayReady(httpPort, gateway, logs);
  } catch (err) {
    gateway.kill('SIGKILL');
    await Promise.all([store.close(), nc.close()]);
    await nats.stop();
    throw err;
  }

  const simFor = (device: Omit<TestDevice, 'sim'>): SimDevice => {
    const sim = new SimDevice({
      name: device.deviceId,
      gateway: `127.0.0.1:${tlsPort}`,
      gatewayCa: pki.ca.certPem,
      keySeed: device.seed,
      reconnectBackoff: { initialMs: 100, maxMs: 1_000, multiplier: 2, resetAfterMs: 5_000 },
    });
    sim.on('received', (message) => {
      if (message.type !== 'Deploy') return;
      const key = `${message.body.appId}@${message.body.revision}`;
      device.deploys.set(key, (device.deploys.get(key) ?? 0) + 1);
      device.received.push({ key, at: Date.now() });
    });
    return sim;
  };
  const readApplicationEvents = async (appId: string) => {
    const { events } = await store.readStream<ApplicationEvent>({ aggregateType: 'application', aggregateId: appId });
    return events.map((e) => ({ type: e.type, data: e.data }) as ApplicationEvent);
  };
  const readDevice = async (deviceId: string) => {
    const { events } = await store.readStream<DeviceEvent>({ aggregateType: 'device', aggregateId: deviceId });
    const state = applyEvents(deviceDecider, events.map((e) => ({ type: e.type, data: e.data }) as DeviceEvent));
    return state.status === 'Initial' ? undefined : state;
  };
  const connected = async (device: TestDevice) => {
    await device.sim.start();
    await eventually(`${device.deviceId} connected`, async () => device.sim.state === 'connected' && (await liveness.get(device.deviceId)) !== undefined, 30_000, logs);
  };

  const connectedWithCapabilities = async (device: TestDevice) => {
    await connected(device);
    await eventually(`${device.deviceId}'s capabilities in the fleet log`, async () => (await readDevice(device.deviceId))?.capabilities ?? undefined, 30_000, logs);
  };

  return {
    nats,
    nc,
    store,
    liveness,
    logs,
    async addDevice(deviceId, labels = {}, options = {}) {
      const seed = new Uint8Array(randomBytes(32));
      const data: DataOf<DeviceCommand, 'RegisterDevice'> = { deviceId, publicKey: ed25519KeyPairFromSeed(seed).publicKeyHex, board: 'sim-board', architecture: 'wasm32-sim', labels };
      await operatorCommand(store, deviceDecider, { aggregateType: 'device', aggregateId: deviceId }, 'RegisterDevice', data);
      const counted = { deviceId, seed, deploys: new Map<string, number>(), received: [] };
      const device: TestDevice = { ...counted, sim: simFor(counted) };
      devices.push(device);
      if (options.connect ?? true) await connectedWithCapabilities(device);
      return device;
    },
    connect: connectedWithCapabilities,
    async reboot(device) {
      await device.sim.stop();
      device.sim = simFor(device);
      await connected(device);
    },
    async putModule(bytes) {
      return putModule(nc, bytes);
    },
    async app(type, data) {
      const appId = (data as { applicationId: string }).applicationId;
      await operatorCommand(store, applicationDecider, { aggregateType: 'application', aggregateId: appId }, type, data);
    },
    async application(appId) {
      const state = applyEvents(applicationDecider, await readApplicationEvents(appId));
      return state.phase === 'Initial' ? undefined : state;
    },
    applicationEvents: readApplicationEvents,
    device: readDevice,
    async attestedApp(deviceId, appId) {
      return (await liveness.get(deviceId))?.apps.find((a) => a.appId === appId);
    },
    async stop() {
      await Promise.all(devices.map((d) => d.sim.stop()));
      gateway.kill('SIGTERM');
      await Promise.race([gatewayExited, new Promise((r) => setTimeout(r, 10_000).unref())]);
      if (gateway.exitCode === null) gateway.kill('SIGKILL');
      await store.close();
      await nc.close();
      await nats.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
