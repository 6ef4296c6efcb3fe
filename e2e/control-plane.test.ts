/**
 * The control plane on the real stack: nats-server, api, gateway, app-controller and
 * device-controller as processes, 100 simulated devices in a fleet process plus one
 * in-process device. Deploys through the api (signed, module inline), watches the
 * controllers roll out, roll back, survive a crash and fix drift.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Subscription } from '@nats-io/transport-node';
import { LivenessStore, decodeDeviceCommand, parseDeviceSubject, sendDeviceCommand, type LivenessRecord } from '@wasmbed/device-bus';
import { exampleApp, loadExampleApp, type ExampleAppName } from '@wasmbed/example-apps';
import { createClient } from '@wasmbed/grpc-kit';
import {
  ApplicationPhase,
  ApplicationServiceClient,
  DevicePhase,
  DeviceServiceClient,
  RolloutPhase,
  type Application,
  type GetApplicationResponse,
  type ListDevicesResponse,
} from '@wasmbed/proto';
import { encodeManifest, manifestFromSource, moduleSha256 } from '@wasmbed/protocol';
import { SimDevice } from '@wasmbed/sim-device';
import { startFleet, type E2eFleet } from './support/fleet';
import { call, createApp, deployApp, updateApp, type SignedSpecOptions } from './support/publisher';
import { eventually } from '@wasmbed/testing';
import { startStack, type Stack } from './support/stack';

jest.setTimeout(300_000);

const FLEET_SIZE = 100;
const ALL = FLEET_SIZE + 1; // the fleet process and one in-process device

let stack: Stack;
let devices: DeviceServiceClient;
let apps: ApplicationServiceClient;
let liveness: LivenessStore;
let fleet: E2eFleet;
let straggler: SimDevice;
let keyDir: string;
let commandTap: Subscription;
/** DeployToDevice requests seen on the device bus, by `device/app/revision`. */
const deploys = new Map<string, number>();
const publisherSeed = randomBytes(32);

const hashOf = (app: ExampleAppName): string => Buffer.from(moduleSha256(loadExampleApp(app))).toString('hex');

function spec(name: string, revision: number, app: ExampleAppName, extra: Partial<SignedSpecOptions> = {}): SignedSpecOptions {
  return {
    name,
    revision,
    module: loadExampleApp(app),
    publisherSeed,
    requiredHostFunctions: exampleApp(app).requiredHostFunctions,
    targets: { kind: { $case: 'allDevices', value: true } },
    ...extra,
  };
}

async function listDevices(): Promise<ListDevicesResponse['devices']> {
  const res = await call<ListDevicesResponse>((done) => devices.listDevices({ pageSize: 1000, pageToken: '', labelSelector: '', phase: 0, gateway: '' }, done));
  return res.devices;
}

async function getApp(name: string): Promise<Application> {
  const res = await call<GetApplicationResponse>((done) => apps.getApplication({ name }, done));
  return res.application!;
}

async function appIn(name: string, accept: (app: Application) => boolean, what: string, timeoutMs = 120_000): Promise<Application> {
  return eventually(`${name}: ${what}`, async () => {
    const app = await getApp(name);
    return accept(app) ? app : undefined;
  }, timeoutMs, stack.logs);
}

async function records(): Promise<LivenessRecord[]> {
  const names = (await listDevices()).map((d) => d.name);
  const found = await Promise.all(names.map((n) => liveness.get(n)));
  return found.filter((r): r is LivenessRecord => r !== undefined);
}

/** Every connected device attests `appId` running with `sha256`. */
async function fleetRuns(appId: string, sha256: string, count = ALL): Promise<void> {
  await eventually(`${count} devices running ${appId} ${sha256.slice(0, 12)}`, async () => {
    const all = await records();
    const ok = all.filter((r) => r.apps.some((a) => a.appId === appId && a.state === 'running' && a.sha256 === sha256));
    return ok.length >= count ? true : undefined;
  }, 120_000, () => `${stack.logs()}\n${fleet.output()}`);
}

beforeAll(async () => {
  stack = await startStack({ heartbeatIntervalMs: 1_000, controllers: true, appControllerEnv: { WASMBED_APP_CONTROLLER_DEPLOY_TIMEOUT_MS: '20000' } });
  devices = createClient(DeviceServiceClient, stack.apiGrpc, { token: stack.token });
  apps = createClient(ApplicationServiceClient, stack.apiGrpc, { token: stack.token });
  liveness = await LivenessStore.open(stack.nc);
  keyDir = await mkdtemp(join(tmpdir(), 'wasmbed-e2e-fleet-'));
  commandTap = stack.nc.subscribe('wasmbed.device.*.cmd', {
    callback: (_err, msg) => {
      const device = parseDeviceSubject(msg.subject)?.deviceId;
      const command = decodeDeviceCommand(msg.data);
      if (device && command.type === 'DeployToDevice') {
        const key = `${device}/${command.appId}/${command.revision}`;
        deploys.set(key, (deploys.get(key) ?? 0) + 1);
      }
    },
  });
  await call((done) => devices.setPairingMode({ commandId: '', expectedVersion: 0, target: { $case: 'allGateways', value: true }, enabled: true, durationSeconds: 600 }, done));
  fleet = startFleet(stack, { count: FLEET_SIZE, prefix: 'fleet', keyDir });
  straggler = new SimDevice({
    name: 'straggler',
    gateway: stack.gatewayTls,
    gatewayCa: stack.pki.ca.certPem,
    keySeed: randomBytes(32),
    reconnectBackoff: { initialMs: 100, maxMs: 1_000, multiplier: 2, resetAfterMs: 5_000 },
  });
  await straggler.start();
  await eventually(`${ALL} devices connected`, async () => {
    const connected = (await listDevices()).filter((d) => d.phase === DevicePhase.DEVICE_PHASE_CONNECTED);
    return connected.length === ALL ? true : undefined;
  }, 120_000, () => `${stack.logs()}\n${fleet.output()}`);
  await call((done) => devices.setPairingMode({ commandId: '', expectedVersion: 0, target: { $case: 'allGateways', value: true }, enabled: false, durationSeconds: 0 }, done));
});

afterAll(async () => {
  commandTap?.unsubscribe();
  await straggler?.stop();
  await fleet?.stop();
  devices?.close();
  apps?.close();
  await stack?.stop();
  if (keyDir) await rm(keyDir, { recursive: true, force: true });
});

describe('control plane on the real stack', () => {
  it(`deploys a signed app to all ${ALL} devices: every one attests it Running with the right hash`, async () => {
    await createApp(apps, spec('hello', 1, 'hello'));
    await deployApp(apps, 'hello');
    const app = await appIn('hello', (a) => a.phase === ApplicationPhase.APPLICATION_PHASE_RUNNING, 'Running');
    expect(app.deployedRevision).toBe(1);
    expect(app.revisions[0].rollout?.counts?.running).toBe(ALL);
    await fleetRuns('hello', hashOf('hello'));
  });

  it('rolls back a revision that traps automatically; the fleet ends on the old revision', async () => {
    const revision = await updateApp(apps, spec('hello', 2, 'trap', { strategy: { canary: 3, batch: { $case: 'batchPercent', value: 50 }, healthGateSeconds: 1, failureThreshold: 0 } }));
    expect(revision).toBe(2);
    await deployApp(apps, 'hello', 2);
    const app = await appIn('hello', (a) => a.revisions[1]?.rollout?.phase === ROLLED_BACK && a.phase === ApplicationPhase.APPLICATION_PHASE_RUNNING, 'revision 2 rolled back, Running');
    expect(app.deployedRevision).toBe(1);
    expect(app.revisions[1].rollout?.failingDevices.length).toBeGreaterThan(0);
    await fleetRuns('hello', hashOf('hello'));
    // Only the canary wave ever got the trapping revision.
    const trapped = [...deploys.keys()].filter((k) => k.endsWith('/hello/2'));
    expect(trapped.length).toBeLessThanOrEqual(3);
  });

  it('completes a rollout across an app-controller crash, deploying no device twice for the same revision', async () => {
    const revision = await updateApp(apps, spec('hello', 3, 'hello-c', { strategy: { canary: 5, batch: { $case: 'batchCount', value: 24 }, healthGateSeconds: 2, failureThreshold: 0 } }));
    await deployApp(apps, 'hello', revision);
    await eventually('the first wave under way', async () => ([...deploys.keys()].some((k) => k.endsWith('/hello/3')) ? true : undefined), 60_000, stack.logs);
    await stack.kill('app-controller');
    await new Promise((r) => setTimeout(r, 2_000));
    await stack.restart('app-controller');
    const app = await appIn('hello', (a) => a.deployedRevision === 3 && a.phase === ApplicationPhase.APPLICATION_PHASE_RUNNING, 'revision 3 Running', 180_000);
    expect(app.revisions[2].rollout?.counts?.running).toBe(ALL);
    await fleetRuns('hello', hashOf('hello-c'));
    const counts = [...deploys.entries()].filter(([k]) => k.endsWith('/hello/3'));
    expect(counts).toHaveLength(ALL);
    expect(counts.filter(([, n]) => n !== 1)).toEqual([]);
  });

  it('corrects a device that runs a stale module, and one that reconnects with an old revision', async () => {
    const deviceId = straggler.deviceId!;
    const helloApp = async (): Promise<{ sessionId: string; app: LivenessRecord['apps'][number] | undefined } | undefined> => {
      const record = await liveness.get(deviceId);
      return record && { sessionId: record.sessionId, app: record.apps.find((a) => a.appId === 'hello') };
    };
    // Behind the controller's back: put revision 1's module (hello) on the device.
    const stale = await sendDeviceCommand(stack.nc, deviceId, { type: 'DeployToDevice', ...(await revisionOneDeploy()) }, { timeoutMs: 15_000 });
    expect(stale.ok).toBe(true);
    const redeploysBefore = deploys.get(`${deviceId}/hello/3`) ?? 0;
    await eventually('straggler runs the stale revision 1', async () => ((await helloApp())?.app?.revision === 1 ? true : undefined), 30_000, stack.logs);
    await eventually('straggler corrected to revision 3', async () => {
      const app = (await helloApp())?.app;
      return app?.revision === 3 && app.state === 'running' && app.sha256 === hashOf('hello-c') ? true : undefined;
    }, 60_000, stack.logs);
    expect(deploys.get(`${deviceId}/hello/3`)).toBe(redeploysBefore + 1);

    // Offline while revision 4 rolls out, the device comes back running revision 3 (booted from its flash).
    await straggler.stop();
    const revision = await updateApp(apps, spec('hello', 4, 'hello'));
    await deployApp(apps, 'hello', revision);
    await eventually('revision 4 reaching the online devices', async () => ([...deploys.keys()].filter((k) => k.endsWith('/hello/4')).length >= FLEET_SIZE ? true : undefined), 60_000, stack.logs);
    await straggler.start();
    await eventually('straggler corrected to revision 4 after reconnecting', async () => {
      const app = (await helloApp())?.app;
      return app?.revision === 4 && app.state === 'running' && app.sha256 === hashOf('hello') ? true : undefined;
    }, 60_000, stack.logs);
    const app = await appIn('hello', (a) => a.deployedRevision === 4 && a.phase === ApplicationPhase.APPLICATION_PHASE_RUNNING, 'revision 4 Running');
    expect(app.revisions[3].rollout?.counts?.running).toBe(ALL);
  });

  it('stops the app on every device', async () => {
    await call((done) => apps.stopApplication({ commandId: '', expectedVersion: 0, name: 'hello' }, done));
    await appIn('hello', (a) => a.phase === ApplicationPhase.APPLICATION_PHASE_STOPPED, 'Stopped');
    await eventually('no device runs hello', async () => {
      const all = await records();
      return all.length === ALL && all.every((r) => !r.apps.some((a) => a.appId === 'hello' && a.state === 'running')) ? true : undefined;
    }, 60_000, stack.logs);
  });
});

const ROLLED_BACK = RolloutPhase.ROLLOUT_PHASE_ROLLED_BACK;

/** The Deploy body of revision 1 as the platform sent it (manifest + signature from the read model). */
async function revisionOneDeploy(): Promise<{ appId: string; revision: number; manifest: string; signature: string; publisherKey: string }> {
  const app = await getApp('hello');
  const rev = app.revisions[0].spec!;
  const manifest = encodeManifest(
    manifestFromSource({
      name: 'hello',
      revision: 1,
      module: { sha256: Buffer.from(rev.module!.sha256).toString('hex'), sizeBytes: rev.module!.sizeBytes },
      entryPoint: rev.entryPoint,
      requiredHostFunctions: rev.requiredHostFunctions,
      config: rev.config!,
    }),
  );
  return {
    appId: 'hello',
    revision: 1,
    manifest: Buffer.from(manifest).toString('base64'),
    signature: Buffer.from(rev.manifestSignature).toString('hex'),
    publisherKey: Buffer.from(rev.publisherKey).toString('hex'),
  };
}
