import { createHash, randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import type { CustomObjectsApi } from '@kubernetes/client-node' with { 'resolution-mode': 'import' };
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { createClient } from '@wasmbed/grpc-kit';
import { ApplicationServiceClient, DeviceServiceClient, GatewayServiceClient } from '@wasmbed/proto';
import { createJsonLogger, openDomainEventStore } from '@wasmbed/service-kit';
import {
  freePort,
  ProcessOutput,
  startKubeApiServer,
  startNatsServer,
  startServiceProcess,
  type KubeApiServer,
  type NatsTestServer,
  type ServiceProcess,
} from '@wasmbed/testing';
import { startK8sSync, type RunningK8sSync } from '../app';
import { DEFAULT_STATUS_MAX_IN_FLIGHT, DEFAULT_WORKERS, type K8sSyncConfig } from '../config';
import { loadKubernetesClient, type KubernetesClientModule } from '../kube/client-module';
import { GROUP, PLURALS, VERSION, type ResourceOf, type SyncKind } from '../resources';

const ROOT = resolve(__dirname, '..', '..', '..', '..');
export const CRD_DIR = join(ROOT, 'infra', 'crds');

/** The Role of the README's RBAC table, verb for verb: the sync runs with nothing more. */
export function syncRole(namespace: string): string {
  return `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: { name: wasmbed-k8s-sync, namespace: ${namespace} }
rules:
  - apiGroups: [wasmbed.github.io]
    resources: [devices, applications, gateways]
    verbs: [get, list, watch, create, update, patch]
  - apiGroups: [wasmbed.github.io]
    resources: [applications]
    verbs: [delete]
  - apiGroups: [wasmbed.github.io]
    resources: [devices/status, applications/status, gateways/status]
    verbs: [get, patch, update]
  - apiGroups: [coordination.k8s.io]
    resources: [leases]
    verbs: [get, create, update]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: { name: wasmbed-k8s-sync, namespace: ${namespace} }
roleRef: { apiGroup: rbac.authorization.k8s.io, kind: Role, name: wasmbed-k8s-sync }
subjects:
  - { kind: ServiceAccount, name: k8s-sync, namespace: ${namespace} }
`;
}

export interface SyncHarness {
  readonly kube: KubeApiServer;
  readonly nats: NatsTestServer;
  readonly nc: NatsConnection;
  readonly k8s: KubernetesClientModule;
  /** As the cluster admin (the test's own hands). */
  readonly objects: CustomObjectsApi;
  readonly namespace: string;
  readonly devices: DeviceServiceClient;
  readonly apps: ApplicationServiceClient;
  readonly gateways: GatewayServiceClient;
  readonly logs: () => string;
  /** Starts a k8s-sync in this process, with the Role above as its only rights. */
  startSync(overrides?: Partial<K8sSyncConfig>): Promise<RunningK8sSync>;
  /** Events in one aggregate's stream of the event log. */
  eventCount(aggregateType: 'device' | 'application' | 'gateway', id: string): Promise<number>;
  get<K extends SyncKind>(kind: K, name: string): Promise<ResourceOf<K> | undefined>;
  create<K extends SyncKind>(kind: K, name: string, spec: ResourceOf<K>['spec']): Promise<ResourceOf<K>>;
  /** Reads the object and PUTs it back with another spec, as `kubectl edit` does. */
  replaceSpec<K extends SyncKind>(kind: K, name: string, spec: (current: ResourceOf<K>['spec']) => ResourceOf<K>['spec']): Promise<ResourceOf<K>>;
  remove(kind: SyncKind, name: string): Promise<void>;
  stop(): Promise<void>;
}

/** Real kube-apiserver with the CRDs, nats-server and the built api process. */
export async function startSyncHarness(namespace = 'wasmbed-test'): Promise<SyncHarness> {
  const output = new ProcessOutput();
  const cleanups: (() => Promise<unknown> | unknown)[] = [];
  const stop = async () => {
    for (const step of cleanups.splice(0).reverse()) await step();
  };
  try {
    const k8s = await loadKubernetesClient();
    const kube = await startKubeApiServer();
    cleanups.push(() => kube.stop());
    await kube.kubectl(['apply', '-k', CRD_DIR]);
    await kube.kubectl(['wait', '--for=condition=Established', '--timeout=60s', ...(['devices', 'applications', 'gateways'].map((p) => `crd/${p}.${GROUP}`))]);
    await kube.kubectl(['create', 'namespace', namespace]);
    await kube.kubectl(['apply', '-f', '-'], { input: syncRole(namespace) });
    const syncKubeconfig = await kube.writeKubeconfig({ token: await kube.serviceAccountToken(namespace, 'k8s-sync'), namespace });

    const nats = await startNatsServer();
    cleanups.push(() => nats.stop());
    const token = randomBytes(24).toString('base64url');
    const grpcPort = await freePort();
    const api: ServiceProcess = await startServiceProcess(
      {
        name: 'api',
        main: join(ROOT, 'services/api/dist/main.js'),
        port: grpcPort,
        env: {
          WASMBED_NATS_URL: nats.url,
          WASMBED_API_GRPC_ADDR: `127.0.0.1:${grpcPort}`,
          WASMBED_API_HTTP_ADDR: `127.0.0.1:${await freePort()}`,
          WASMBED_API_TOKENS: JSON.stringify([{ subject: 'k8s-sync-test', role: 'admin', tokenSha256: createHash('sha256').update(token).digest('hex') }]),
          WASMBED_LOG_LEVEL: 'warn',
        },
      },
      output,
    );
    cleanups.push(() => api.stop());
    const address = `127.0.0.1:${grpcPort}`;
    const devices = createClient(DeviceServiceClient, address, { token });
    const apps = createClient(ApplicationServiceClient, address, { token });
    const gateways = createClient(GatewayServiceClient, address, { token });
    cleanups.push(() => [devices, apps, gateways].forEach((c) => c.close()));
    const nc = await connect({ servers: nats.url });
    cleanups.push(() => nc.close());
    const store = await openDomainEventStore(nc);
    cleanups.push(() => store.close());

    const kc = new k8s.KubeConfig();
    kc.loadFromFile(kube.kubeconfigPath);
    const objects = kc.makeApiClient(k8s.CustomObjectsApi);
    const target = (kind: SyncKind) => ({ group: GROUP, version: VERSION, namespace, plural: PLURALS[kind] });
    let syncs = 0;

    return {
      kube,
      nats,
      nc,
      k8s,
      objects,
      namespace,
      devices,
      apps,
      gateways,
      logs: () => `${output.tail()}\n${kube.logTail(20)}`,
      async startSync(overrides = {}) {
        syncs += 1;
        const config: K8sSyncConfig = {
          kube: { kubeconfigPath: syncKubeconfig },
          namespace,
          api: { address, token, timeoutMs: 10_000 },
          http: { host: '127.0.0.1', port: 0 },
          statusMinIntervalMs: 200,
          statusMaxInFlight: DEFAULT_STATUS_MAX_IN_FLIGHT,
          workers: DEFAULT_WORKERS,
          identity: `sync-test-${syncs}`,
          lease: { name: 'wasmbed-k8s-sync', durationMs: 2_000, renewIntervalMs: 500 },
          resyncMs: 60_000,
          logLevel: 'warn',
          ...overrides,
        };
        const logger = createJsonLogger('k8s-sync', config.logLevel, (line) => output.append('k8s-sync', Buffer.from(line)));
        return startK8sSync(config, { logger, processMetrics: false });
      },
      async eventCount(aggregateType, id) {
        return (await store.readStream({ aggregateType, aggregateId: id })).events.length;
      },
      async get(kind, name) {
        try {
          return (await objects.getNamespacedCustomObject({ ...target(kind), name })) as ResourceOf<typeof kind>;
        } catch (err) {
          if ((err as { code?: number }).code === 404) return undefined;
          throw err;
        }
      },
      async create(kind, name, spec) {
        const body = { apiVersion: `${GROUP}/${VERSION}`, kind, metadata: { name, namespace }, spec };
        return (await objects.createNamespacedCustomObject({ ...target(kind), body })) as ResourceOf<typeof kind>;
      },
      async replaceSpec(kind, name, spec) {
        const current = (await objects.getNamespacedCustomObject({ ...target(kind), name })) as ResourceOf<typeof kind>;
        return (await objects.replaceNamespacedCustomObject({ ...target(kind), name, body: { ...current, spec: spec(current.spec) } })) as ResourceOf<typeof kind>;
      },
      async remove(kind, name) {
        await objects.deleteNamespacedCustomObject({ ...target(kind), name });
      },
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
