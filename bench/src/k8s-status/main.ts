/**
 * Kubernetes status at fleet scale: N Device objects and one Application targeting all
 * of them in a real kube-apiserver, with k8s-sync, the api and the app-controller running
 * as processes. Per phase it times, from the operator's change, the api's read model (the
 * baseline: what the control plane knows) and the Kubernetes statuses k8s-sync writes
 * (what kubectl shows), and counts the status writes against the coalescing budget
 * (objects / interval writes per second at most), beside the raw floor of the same
 * apiserver without any control plane.
 *
 * Devices are answered by a named FAKE fleet on the device bus (fake-fleet.ts) and
 * connected by a fake gateway writing what a gateway writes (fake-gateway.ts):
 * 10,000 real simulated devices do not fit 2 cores beside the apiserver and etcd.
 *
 *   npm run bench:k8s-status -- [--devices 10000] [--interval-ms 5000] [--sync-workers 4] [--status-in-flight 8]
 */
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { exampleApp, loadExampleApp } from '@wasmbed/example-apps';
import { DevicePhase } from '@wasmbed/proto';
import { openDomainEventStore } from '@wasmbed/service-kit';
import { signedApplicationSpec, startKubeApiServer } from '@wasmbed/testing';
import { progress, runMain } from '../support/report';
import { startControlPlane } from './control-plane';
import { Converger } from './converger';
import { startFakeFleet } from './fake-fleet';
import { connectThroughFakeGateway } from './fake-gateway';
import { ARCHITECTURE, BOARD, GROUP, VERSION, applicationObject, benchDevices } from './kube-objects';
import { parseK8sStatusOptions } from './options';
import { runPhase, waitFor, type PhaseContext, type PhaseResult } from './phase';
import { measureRawBaseline } from './raw-baseline';
import { appRunningInReadModel, watchReadModels } from './read-model-watch';
import { formatK8sStatusReport } from './report';
import { StatusWatch } from './status-watch';

type KubeClient = typeof import('@kubernetes/client-node', { with: { 'resolution-mode': 'import' } });
type Status = Record<string, unknown>;

const CRDS = resolve(__dirname, '..', '..', '..', 'infra', 'crds');
const NAMESPACE = 'wasmbed';
const APP = 'fleet-app';
const FAKE_GATEWAY = 'bench-fake-gw';
const APP_SOURCE = 'hello';

const runsInStatus = (revision: number) => (s: Status) =>
  (s.applications as { name: string; revision: number; phase: string }[] | undefined)?.some((a) => a.name === APP && a.revision === revision && a.phase === 'Running') === true;

async function main(): Promise<void> {
  const o = parseK8sStatusOptions(process.argv.slice(2));
  const n = o.devices;
  console.log(
    `k8s-status bench: ${n} Device objects + 1 Application targeting all of them, k8s-sync status interval ${o.intervalMs} ms` +
      `\ndevices: a FAKE fleet on the device bus answers deploys (no TLS sessions, no Wasm runtime); a fake gateway records their connections`,
  );
  const k8s: KubeClient = await import('@kubernetes/client-node');
  const kube = await startKubeApiServer();
  const cleanups: (() => Promise<void> | void)[] = [() => kube.stop()];
  try {
    await kube.kubectl(['apply', '-k', CRDS]);
    await kube.kubectl(['wait', '--for=condition=Established', '--timeout=60s', `crd/devices.${GROUP}`, `crd/applications.${GROUP}`, `crd/gateways.${GROUP}`]);
    await kube.kubectl(['create', 'namespace', NAMESPACE]);
    const kc = new k8s.KubeConfig();
    kc.loadFromFile(kube.kubeconfigPath);
    const customObjects = kc.makeApiClient(k8s.CustomObjectsApi);
    const devices = benchDevices(n, 'dev-');

    progress(`raw floor: ${n} Device objects and their statuses in a namespace of their own`);
    const raw = await measureRawBaseline(kube, customObjects, devices, o.createConcurrency, [8, o.statusInFlight]);

    const plane = await startControlPlane({ kubeconfigPath: kube.kubeconfigPath, namespace: NAMESPACE, statusMinIntervalMs: o.intervalMs, syncWorkers: o.syncWorkers, statusInFlight: o.statusInFlight });
    cleanups.unshift(() => plane.stop());
    const readModels = watchReadModels(plane);
    cleanups.unshift(() => readModels.stop());
    const deviceStatuses = new Converger<Status>();
    const appStatuses = new Converger<Status>();
    const deviceWatch = await StatusWatch.start(k8s, kc, NAMESPACE, 'devices', (c) => deviceStatuses.update(c.name, c.status, c.at));
    const appWatch = await StatusWatch.start(k8s, kc, NAMESPACE, 'applications', (c) => appStatuses.update(c.name, c.status, c.at));
    cleanups.unshift(() => (deviceWatch.stop(), appWatch.stop()));
    const ctx: PhaseContext = {
      timeoutMs: o.phaseTimeoutS * 1000,
      statusChanges: () => [...deviceWatch.changes, ...appWatch.changes].sort((a, b) => a - b),
      writerTotals: async () => (await plane.syncStatus()).statusWriter,
      settleMs: Math.min(o.intervalMs, 5_000) + 500,
      intervalMs: o.intervalMs,
      diagnostics: () => plane.output.tail(8_000),
      progress,
    };
    const phases: PhaseResult[] = [];

    // 1. N Device objects → RegisterDevice by k8s-sync → Pending in the fleet and in every status.
    phases.push(
      await runPhase(
        ctx,
        'register',
        async () => {
          const queue = [...devices];
          const create = async () => {
            for (let d = queue.shift(); d; d = queue.shift()) {
              await customObjects.createNamespacedCustomObject({ group: GROUP, version: VERSION, namespace: NAMESPACE, plural: 'devices', body: d.object });
            }
          };
          await Promise.all(Array.from({ length: o.createConcurrency }, create));
        },
        {
          readModelDevices: waitFor(readModels.devices, n, (d) => d.phase === DevicePhase.DEVICE_PHASE_PENDING),
          statusDevices: waitFor(deviceStatuses, n, (s) => s.phase === 'Pending'),
        },
      ),
    );

    // 2. The fake gateway enrolls and connects every device → Connected.
    const fleet = startFakeFleet(plane.nc, devices.map((d) => d.name), FAKE_GATEWAY);
    cleanups.unshift(() => fleet.stop());
    const store = await openDomainEventStore(plane.nc);
    cleanups.unshift(() => store.close());
    const app = exampleApp(APP_SOURCE);
    const capabilities = { firmware: 'bench-fake 1.0', board: BOARD, arch: ARCHITECTURE, ramBytes: 1 << 20, maxModuleBytes: 1 << 20, maxInstances: 4, hostFunctions: [...app.requiredHostFunctions] };
    phases.push(
      await runPhase(
        ctx,
        'connect',
        () =>
          connectThroughFakeGateway(
            store,
            devices.map((d) => ({ name: d.name, publicKey: d.publicKeyHex, sessionId: fleet.sessions.get(d.name)! })),
            { gatewayId: FAKE_GATEWAY, capabilities, concurrency: o.connectConcurrency },
          ),
        {
          readModelDevices: waitFor(readModels.devices, n, (d) => d.phase === DevicePhase.DEVICE_PHASE_CONNECTED),
          statusDevices: waitFor(deviceStatuses, n, (s) => s.phase === 'Connected'),
        },
      ),
    );

    // 3. The Application object (revision 1), then a spec change (revision 2): rolled out to every device.
    // The read model's side is the application's rollout counts: WatchDevices does not push a device's applications.
    const module = loadExampleApp(APP_SOURCE);
    const publisherSeed = randomBytes(32);
    for (const revision of [1, 2]) {
      const spec = signedApplicationSpec({
        name: APP,
        revision,
        module,
        publisherSeed,
        requiredHostFunctions: app.requiredHostFunctions,
        targets: { kind: { $case: 'allDevices', value: true } },
        memoryLimitBytes: (3 + revision) * 65_536,
      });
      const object = applicationObject(APP, spec, module);
      const change =
        revision === 1
          ? async () => void (await customObjects.createNamespacedCustomObject({ group: GROUP, version: VERSION, namespace: NAMESPACE, plural: 'applications', body: object }))
          : async () => {
              const next = object.spec as { signature: string; config: { memoryLimit: number } };
              await customObjects.patchNamespacedCustomObject({
                group: GROUP,
                version: VERSION,
                namespace: NAMESPACE,
                plural: 'applications',
                name: APP,
                body: [
                  { op: 'replace', path: '/spec/signature', value: next.signature },
                  { op: 'replace', path: '/spec/config/memoryLimit', value: next.config.memoryLimit },
                ],
              });
            };
      phases.push(
        await runPhase(ctx, revision === 1 ? 'deploy r1 (create)' : 'spec change → r2', change, {
          readModelApp: waitFor(readModels.applications, 1, appRunningInReadModel(revision, n)),
          statusApp: waitFor(appStatuses, 1, (s) => s.phase === 'Running' && s.deployedRevision === revision && s.readyDevices === `${n}/${n}`),
          statusDevices: waitFor(deviceStatuses, n, runsInStatus(revision)),
        }),
      );
    }

    console.log(
      formatK8sStatusReport({
        devices: n,
        intervalMs: o.intervalMs,
        sync: { workers: o.syncWorkers, statusInFlight: o.statusInFlight },
        phases,
        raw,
        largest: { device: deviceWatch.largestBytes, application: appWatch.largestBytes },
        answered: fleet.answered,
      }),
    );
  } finally {
    for (const cleanup of cleanups) await cleanup();
  }
}

runMain(main);
