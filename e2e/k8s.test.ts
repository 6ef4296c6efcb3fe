/**
 * Kubernetes as the face of the fleet: a real kube-apiserver with the CRDs, the whole
 * stack (nats-server, api, gateway, app-controller, device-controller, k8s-sync as
 * processes) and simulated devices. Everything is done as an operator does it, with
 * kubectl: Device and Application objects bring an app onto devices, a new revision
 * rolls out, a deletion cleans the fleet up, and a manifest file goes in with `apply -f`.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { LivenessStore } from '@wasmbed/device-bus';
import { exampleApp, loadExampleApp } from '@wasmbed/example-apps';
import { createClient } from '@wasmbed/grpc-kit';
import { ed25519KeyPairFromSeed } from '@wasmbed/pki';
import { ApplicationServiceClient, type GetApplicationResponse } from '@wasmbed/proto';
import { moduleSha256 } from '@wasmbed/protocol';
import { SimDevice } from '@wasmbed/sim-device';
import { call, eventually, signedApplicationSpec, startKubeApiServer, type KubeApiServer } from '@wasmbed/testing';
import { startStack, type Stack } from './support/stack';

jest.setTimeout(300_000);

const NAMESPACE = 'wasmbed';
const CRD_DIR = resolve(__dirname, '..', 'infra', 'crds');
const HELLO = loadExampleApp('hello');
const HELLO_SHA = Buffer.from(moduleSha256(HELLO)).toString('hex');
const publisherSeed = randomBytes(32);

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- kubectl's JSON output

let kube: KubeApiServer;
let stack: Stack;
let apps: ApplicationServiceClient;
let liveness: LivenessStore;
let dir: string;
const devices: SimDevice[] = [];

const logs = () => `${stack?.logs() ?? ''}\n${kube?.logTail(20) ?? ''}`;

async function getObject(resource: string, name: string): Promise<Json | undefined> {
  const { stdout } = await kube.kubectl(['get', resource, name, '-n', NAMESPACE, '-o', 'json', '--ignore-not-found']);
  return stdout.trim() === '' ? undefined : (JSON.parse(stdout) as Json);
}

function objectWhere(resource: string, name: string, accept: (o: Json) => boolean, what: string, timeoutMs = 120_000): Promise<Json> {
  return eventually(`${resource} ${name}: ${what}`, async () => {
    const o = await getObject(resource, name);
    return o !== undefined && accept(o) ? o : undefined;
  }, timeoutMs, logs);
}

const apply = (objects: Json[]) => kube.kubectl(['apply', '-n', NAMESPACE, '-f', '-'], { input: JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects }) });
const synced = (o: Json) => (o.status?.conditions ?? []).find((c: Json) => c.type === 'Synced');

function deviceObject(name: string, seed: Uint8Array, labels: Record<string, string>): Json {
  const publicKey = Buffer.from(ed25519KeyPairFromSeed(seed).publicKey).toString('base64');
  return { apiVersion: 'wasmbed.github.io/v1', kind: 'Device', metadata: { name }, spec: { publicKey, board: 'sim-board', architecture: 'wasm32-sim', labels } };
}

/** The hello app signed for `revision`, as a publisher writes it into an Application spec. */
function helloSpec(name: string, revision: number, targetDevices: Json, memoryLimit: number, strategy?: Json): Json {
  const requiredHostFunctions = [...exampleApp('hello').requiredHostFunctions];
  const signed = signedApplicationSpec({ name, revision, module: HELLO, publisherSeed, requiredHostFunctions, targets: { kind: { $case: 'allDevices', value: true } }, memoryLimitBytes: memoryLimit });
  return {
    module: { inlineBase64: Buffer.from(HELLO).toString('base64') },
    signature: signed.manifestSignature.toString('base64'),
    publisherKey: signed.publisherKey.toString('base64'),
    entryPoint: signed.entryPoint,
    requiredHostFunctions,
    config: { memoryLimit },
    targetDevices,
    ...(strategy ? { strategy } : {}),
  };
}

async function startDevice(name: string, seed: Uint8Array): Promise<void> {
  const device = new SimDevice({
    name,
    gateway: stack.gatewayTls,
    gatewayCa: stack.pki.ca.certPem,
    keySeed: seed,
    reconnectBackoff: { initialMs: 100, maxMs: 1_000, multiplier: 2, resetAfterMs: 5_000 },
  });
  devices.push(device);
  await device.start();
}

/** Devices whose liveness record shows `app` running with the hello module. */
async function runningHello(app: string): Promise<string[]> {
  const names = devices.map((d) => d.config.name);
  const records = await Promise.all(names.map((n) => liveness.get(n)));
  return records.filter((r) => r?.apps.some((a) => a.appId === app && a.state === 'running' && a.sha256 === HELLO_SHA)).map((r) => r!.deviceId).sort();
}

beforeAll(async () => {
  kube = await startKubeApiServer();
  await kube.kubectl(['apply', '-k', CRD_DIR]);
  await kube.kubectl(['wait', '--for=condition=Established', '--timeout=60s', 'crd/devices.wasmbed.github.io', 'crd/applications.wasmbed.github.io', 'crd/gateways.wasmbed.github.io']);
  await kube.kubectl(['create', 'namespace', NAMESPACE]);
  stack = await startStack({
    heartbeatIntervalMs: 1_000,
    controllers: true,
    k8sSync: {
      kubeconfigPath: kube.kubeconfigPath,
      namespace: NAMESPACE,
      env: { WASMBED_K8S_STATUS_MIN_INTERVAL_MS: '500', WASMBED_K8S_LEASE_DURATION_MS: '4000', WASMBED_K8S_LEASE_RENEW_MS: '1000' },
    },
  });
  apps = createClient(ApplicationServiceClient, stack.apiGrpc, { token: stack.token });
  liveness = await LivenessStore.open(stack.nc);
  dir = await mkdtemp(join(tmpdir(), 'wasmbed-e2e-k8s-'));
}, 300_000);

afterAll(async () => {
  await Promise.all(devices.map((d) => d.stop()));
  apps?.close();
  await stack?.stop();
  await kube?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('Kubernetes objects drive the fleet', () => {
  const seeds = new Map(['sim-1', 'sim-2', 'sim-3'].map((name) => [name, randomBytes(32)]));

  it('Device and Application objects bring the app onto the devices; statuses converge', async () => {
    await apply([...seeds].map(([name, seed]) => deviceObject(name, seed, { site: 'e2e' })));
    for (const name of seeds.keys()) await objectWhere('devices', name, (o) => o.status?.phase === 'Pending' && synced(o)?.status === 'True', 'registered (Pending)');
    for (const [name, seed] of seeds) await startDevice(name, seed);
    for (const name of seeds.keys()) await objectWhere('devices', name, (o) => o.status?.phase === 'Connected', 'Connected');
    // The gateway registered itself: it shows up as an object of its own.
    await objectWhere('gateways', 'gateway-e2e', (o) => o.status?.phase === 'Online' && o.metadata.annotations?.['wasmbed.github.io/origin'] === 'fleet', 'mirrored, Online');

    await apply([{ apiVersion: 'wasmbed.github.io/v1', kind: 'Application', metadata: { name: 'hello' }, spec: helloSpec('hello', 1, { selector: { matchLabels: { site: 'e2e' } } }, 4 * 65_536) }]);
    const app = await objectWhere('applications', 'hello', (o) => o.status?.phase === 'Running' && o.status?.readyDevices === '3/3', 'Running on 3/3');
    expect(app.status).toMatchObject({ deployedRevision: 1, latestRevision: 1, moduleSha256: HELLO_SHA, failingDevicesTotal: 0 });
    expect(synced(app)).toMatchObject({ status: 'True', observedGeneration: 1 });
    expect(await runningHello('hello')).toEqual(['sim-1', 'sim-2', 'sim-3']);
    for (const name of seeds.keys()) {
      await objectWhere('devices', name, (o) => (o.status?.applications ?? []).some((a: Json) => a.name === 'hello' && a.phase === 'Running' && a.revision === 1), 'hello r1 Running in its status');
    }
  });

  it('a changed spec rolls out as a new revision, wave by wave, visible in the status', async () => {
    const current = (await getObject('applications', 'hello'))!;
    const strategy = { canary: 1, batchCount: 1, healthGateSeconds: 1 };
    current.spec = helloSpec('hello', 2, { selector: { matchLabels: { site: 'e2e' } } }, 8 * 65_536, strategy);
    await kube.kubectl(['replace', '-n', NAMESPACE, '-f', '-'], { input: JSON.stringify(current) });

    const seen: string[] = [];
    const done = await eventually('revision 2 rolled out', async () => {
      const o = await getObject('applications', 'hello');
      const r2 = (o?.status?.revisions ?? []).find((r: Json) => r.revision === 2);
      if (r2) {
        const step = `${o!.status.phase} ${r2.phase} ${r2.wave}`;
        if (seen.at(-1) !== step) seen.push(step);
      }
      return o?.status?.phase === 'Running' && r2?.phase === 'Completed' ? o : undefined;
    }, 180_000, logs);
    expect(done.status).toMatchObject({ deployedRevision: 2, latestRevision: 2, readyDevices: '3/3' });
    expect(synced(done)).toMatchObject({ status: 'True', observedGeneration: 2 });
    // Three waves of one device each (canary + batches), seen on the way.
    expect(seen.some((s) => s.startsWith('Deploying InProgress'))).toBe(true);
    expect(seen.at(-1)).toBe('Running Completed 3/3');
    const fleet = await call<GetApplicationResponse>((d) => apps.getApplication({ name: 'hello' }, d));
    expect(fleet.application!.revisions[1]!.rollout!.waves.map((w) => w.devices.length)).toEqual([1, 1, 1]);
  });

  it('deleting the Application stops it on every device, then deletes it, before the object goes', async () => {
    await kube.kubectl(['delete', 'application', 'hello', '-n', NAMESPACE, '--wait=false']);
    await eventually('hello object gone', async () => ((await getObject('applications', 'hello')) === undefined ? true : undefined), 120_000, logs);
    const gone = await call((d) => apps.getApplication({ name: 'hello' }, d)).then(() => false, (err: { code?: number }) => err.code === 5);
    expect(gone).toBe(true);
    await eventually('no device runs hello', async () => ((await runningHello('hello')).length === 0 ? true : undefined), 60_000, logs);
  });

  it('takes a manifest file with kubectl apply -f', async () => {
    const seed = randomBytes(32);
    const manifest = [
      deviceObject('sim-4', seed, { site: 'yaml' }),
      { apiVersion: 'wasmbed.github.io/v1', kind: 'Application', metadata: { name: 'hello-yaml' }, spec: helloSpec('hello-yaml', 1, { deviceNames: ['sim-4'] }, 4 * 65_536) },
    ];
    const file = join(dir, 'hello-yaml.yaml');
    await writeFile(file, manifest.map((o) => JSON.stringify(o)).join('\n---\n'));
    const applied = await kube.kubectl(['apply', '-n', NAMESPACE, '-f', file]);
    expect(applied.stdout).toMatch(/device\.wasmbed\.github\.io\/sim-4 created/);
    expect(applied.stdout).toMatch(/application\.wasmbed\.github\.io\/hello-yaml created/);
    await startDevice('sim-4', seed);
    await objectWhere('applications', 'hello-yaml', (o) => o.status?.phase === 'Running' && o.status?.readyDevices === '1/1', 'Running on 1/1');
    expect(await runningHello('hello-yaml')).toEqual(['sim-4']);
    const table = await kube.kubectl(['get', 'wapp', '-n', NAMESPACE]);
    expect(table.stdout).toMatch(/^NAME\s+PHASE\s+REVISION\s+READY\s+SYNCED\s+AGE/);
    expect(table.stdout).toMatch(/hello-yaml\s+Running\s+1\s+1\/1\s+True/);
  });
});
