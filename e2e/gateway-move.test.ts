/**
 * Moving devices between gateways on the real stack: nats-server, api, two gateways,
 * app-controller and device-controller as processes, simulated devices in-process.
 * An operator's AssignGateway (gRPC) moves connected devices to the other gateway
 * (device-controller → RebalanceDevice → Bye rebalance + endpoint → the device
 * reconnects there) with their app running all along and nothing redeployed; a
 * gateway drain moves them back; an assignment to a gateway that cannot take them
 * disconnects no one, and the device-controller's status says why (the api refuses
 * a gateway it does not know).
 */
import { randomBytes } from 'node:crypto';
import type { Subscription } from '@nats-io/transport-node';
import { LivenessStore, decodeDeviceCommand, parseDeviceSubject, type DeviceBusCommand, type LivenessRecord } from '@wasmbed/device-bus';
import { exampleApp, loadExampleApp } from '@wasmbed/example-apps';
import { createClient } from '@wasmbed/grpc-kit';
import {
  ApplicationPhase,
  ApplicationServiceClient,
  DevicePhase,
  DeviceServiceClient,
  GatewayServiceClient,
  type Application,
  type Device,
  type GetApplicationResponse,
  type GetDeviceResponse,
} from '@wasmbed/proto';
import { moduleSha256 } from '@wasmbed/protocol';
import { SimDevice } from '@wasmbed/sim-device';
import { eventually } from '@wasmbed/testing';
import { call, createApp, deployApp } from './support/publisher';
import { startStack, type Stack, type StackGateway } from './support/stack';

jest.setTimeout(300_000);

const COUNT = 3;
const HELLO_SHA256 = Buffer.from(moduleSha256(loadExampleApp('hello'))).toString('hex');

let stack: Stack;
let gwA: StackGateway;
let gwB: StackGateway;
let devices: DeviceServiceClient;
let gateways: GatewayServiceClient;
let apps: ApplicationServiceClient;
let liveness: LivenessStore;
let commandTap: Subscription;
const sims: SimDevice[] = [];
/** Device-bus commands seen, in order, by device. */
const commands = new Map<string, DeviceBusCommand[]>();
/** App states the simulated devices went through after the app first ran. */
const appStates: string[] = [];

const names = () => sims.map((d) => d.deviceId!);
const sent = (deviceId: string, type: DeviceBusCommand['type']) => (commands.get(deviceId) ?? []).filter((c) => c.type === type);

async function getDevice(name: string): Promise<Device> {
  return (await call<GetDeviceResponse>((done) => devices.getDevice({ name }, done))).device!;
}

async function assign(name: string, gateway: string): Promise<void> {
  await call((done) => devices.assignGateway({ commandId: '', expectedVersion: 0, name, gateway }, done));
}

async function controllerStatus(): Promise<{ misplaced: { deviceId: string; move: { state: string; reason?: string } }[]; drains: { gatewayId: string; assigned: number; connected: number }[] }> {
  const res = await fetch(`${stack.deviceControllerHttp!}/status`);
  return (await res.json()) as Awaited<ReturnType<typeof controllerStatus>>;
}

/** Every device Connected through `gateway` in the read model, its liveness from that gateway attesting hello running with the same hash. */
async function allOn(gateway: StackGateway): Promise<LivenessRecord[]> {
  return eventually(`${COUNT} devices on ${gateway.gatewayId}, running hello`, async () => {
    const records: LivenessRecord[] = [];
    for (const name of names()) {
      const device = await getDevice(name);
      const record = await liveness.get(name);
      const running = record?.apps.some((a) => a.appId === 'hello' && a.state === 'running' && a.sha256 === HELLO_SHA256);
      if (device.phase !== DevicePhase.DEVICE_PHASE_CONNECTED || device.gateway !== gateway.gatewayId || record?.gatewayId !== gateway.gatewayId || !running) return undefined;
      if (device.sessionId !== record.sessionId) return undefined;
      records.push(record);
    }
    return records;
  }, 60_000, stack.logs);
}

beforeAll(async () => {
  stack = await startStack({ heartbeatIntervalMs: 1_000, controllers: true, gateways: 2 });
  [gwA, gwB] = stack.gateways;
  devices = createClient(DeviceServiceClient, stack.apiGrpc, { token: stack.token });
  gateways = createClient(GatewayServiceClient, stack.apiGrpc, { token: stack.token });
  apps = createClient(ApplicationServiceClient, stack.apiGrpc, { token: stack.token });
  liveness = await LivenessStore.open(stack.nc);
  commandTap = stack.nc.subscribe('wasmbed.device.*.cmd', {
    callback: (_err, msg) => {
      const deviceId = parseDeviceSubject(msg.subject)?.deviceId;
      if (deviceId !== undefined) commands.set(deviceId, [...(commands.get(deviceId) ?? []), decodeDeviceCommand(msg.data)]);
    },
  });

  await call((done) => devices.setPairingMode({ commandId: '', expectedVersion: 0, target: { $case: 'allGateways', value: true }, enabled: true, durationSeconds: 600 }, done));
  for (let i = 0; i < COUNT; i++) {
    const sim = new SimDevice({
      name: `mover-${i}`,
      gateway: gwA.tls,
      gatewayCa: stack.pki.ca.certPem,
      keySeed: randomBytes(32),
      reconnectBackoff: { initialMs: 100, maxMs: 1_000, multiplier: 2, resetAfterMs: 5_000 },
    });
    sims.push(sim);
    await sim.start();
  }
  await eventually(`${COUNT} devices connected`, async () => (sims.every((d) => d.state === 'connected') ? true : undefined), 60_000, stack.logs);
  await call((done) => devices.setPairingMode({ commandId: '', expectedVersion: 0, target: { $case: 'allGateways', value: true }, enabled: false, durationSeconds: 0 }, done));

  await createApp(apps, {
    name: 'hello',
    revision: 1,
    module: loadExampleApp('hello'),
    publisherSeed: randomBytes(32),
    requiredHostFunctions: exampleApp('hello').requiredHostFunctions,
    targets: { kind: { $case: 'allDevices', value: true } },
  });
  await deployApp(apps, 'hello');
  await eventually('hello Running', async () => {
    const app: Application = (await call<GetApplicationResponse>((done) => apps.getApplication({ name: 'hello' }, done))).application!;
    return app.phase === ApplicationPhase.APPLICATION_PHASE_RUNNING ? true : undefined;
  }, 120_000, stack.logs);
  await allOn(gwA);
  for (const sim of sims) sim.on('appStatus', (_appId, change) => appStates.push(change.state));
});

afterAll(async () => {
  commandTap?.unsubscribe();
  await Promise.all(sims.map((d) => d.stop()));
  devices?.close();
  gateways?.close();
  apps?.close();
  await stack?.stop();
});

describe('moving devices between gateways', () => {
  it('AssignGateway moves connected devices to the other gateway; their app keeps running and nothing is redeployed', async () => {
    const before = await allOn(gwA);
    const deploys = names().map((n) => sent(n, 'DeployToDevice').length);
    for (const name of names()) await assign(name, gwB.gatewayId);

    const after = await allOn(gwB);
    for (const [i, record] of after.entries()) expect(record.sessionId).not.toBe(before[i].sessionId);
    for (const [i, name] of names().entries()) {
      expect(sent(name, 'RebalanceDevice')).toEqual([{ type: 'RebalanceDevice', sessionId: before[i].sessionId, endpoint: gwB.tls }]);
      expect(sent(name, 'DeployToDevice')).toHaveLength(deploys[i]);
      expect((await getDevice(name)).preferredGateway).toBe(gwB.gatewayId);
    }
    for (const sim of sims) {
      expect(sim.gatewayEndpoint).toBe(gwB.tls);
      expect(sim.lastSessionOutcome?.end).toMatchObject({ kind: 'bye', reason: 'rebalance', endpoint: gwB.tls });
      expect(sim.appSummaries()).toEqual([expect.objectContaining({ appId: 'hello', state: 'running', restarts: 0 })]);
    }
    expect(appStates).toEqual([]);
    await eventually('nothing misplaced', async () => ((await controllerStatus()).misplaced.length === 0 ? true : undefined), 30_000, stack.logs);
  });

  it('an assignment to an unknown gateway is refused, one to a gateway not online disconnects no one, and the status says why', async () => {
    const [device] = names();
    const sessions = await allOn(gwB);
    await expect(assign(device, 'gateway-nowhere')).rejects.toMatchObject({ code: 5 }); // NOT_FOUND, from the api

    await call((done) =>
      gateways.registerGateway(
        { commandId: '', expectedVersion: 0, name: 'gateway-parked', endpoint: '127.0.0.1:9', region: 'default', capacity: 10, heartbeatIntervalSeconds: 0, enrollmentTimeoutSeconds: 0 },
        done,
      ),
    );
    await assign(device, 'gateway-parked');
    const misplaced = await eventually('reported blocked', async () => {
      const found = (await controllerStatus()).misplaced;
      return found.length === 1 ? found : undefined;
    }, 30_000, stack.logs);
    expect(misplaced.map((m) => [m.deviceId, m.move.state, m.move.reason])).toEqual([[device, 'blocked', "gateway 'gateway-parked' is not online yet"]]);
    // A few more passes: still the same sessions, and no move was sent.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect((await allOn(gwB)).map((r) => r.sessionId)).toEqual(sessions.map((r) => r.sessionId));
    expect(sent(device, 'RebalanceDevice')).toHaveLength(1);
    expect(sims.every((d) => d.state === 'connected' && d.gatewayEndpoint === gwB.tls)).toBe(true);

    await assign(device, gwB.gatewayId);
    await eventually('nothing misplaced', async () => ((await controllerStatus()).misplaced.length === 0 ? true : undefined), 30_000, stack.logs);
  });

  it('draining a gateway moves its devices back to the other one', async () => {
    const before = await allOn(gwB);
    const deploys = names().map((n) => sent(n, 'DeployToDevice').length);
    await call((done) => gateways.drainGateway({ commandId: '', expectedVersion: 0, name: gwB.gatewayId }, done));

    const after = await allOn(gwA);
    for (const [i, name] of names().entries()) {
      expect(after[i].sessionId).not.toBe(before[i].sessionId);
      expect(sent(name, 'RebalanceDevice').at(-1)).toEqual({ type: 'RebalanceDevice', sessionId: before[i].sessionId, endpoint: gwA.tls });
      expect(sent(name, 'DeployToDevice')).toHaveLength(deploys[i]);
      // The device-controller reassigned it: the only other gateway online and not draining.
      expect((await getDevice(name)).preferredGateway).toBe(gwA.gatewayId);
    }
    expect(sims.every((d) => d.gatewayEndpoint === gwA.tls)).toBe(true);
    expect(appStates).toEqual([]);
    const drained = await eventually('drain done', async () => {
      const drain = (await controllerStatus()).drains.find((d) => d.gatewayId === gwB.gatewayId);
      return drain?.assigned === 0 && drain.connected === 0 ? drain : undefined;
    }, 30_000, stack.logs);
    expect(drained).toEqual({ gatewayId: gwB.gatewayId, assigned: 0, connected: 0 });
  });
});
