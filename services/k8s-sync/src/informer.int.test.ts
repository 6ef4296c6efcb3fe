/**
 * ResourceInformer against a real kube-apiserver reached through a relay the test can
 * cut. The watch cache is off, so a watch from a compacted resourceVersion gets the
 * apiserver's 410 Gone straight from etcd, as after a long outage in a busy cluster.
 */
import type { CustomObjectsApi } from '@kubernetes/client-node' with { 'resolution-mode': 'import' };
import { createJsonLogger } from '@wasmbed/service-kit';
import { eventually, startKubeApiServer, type KubeApiServer } from '@wasmbed/testing';
import { loadKubernetesClient, type KubernetesClientModule } from './kube/client-module';
import { ResourceInformer, type InformerRestart } from './kube/informer';
import { GROUP, VERSION } from './resources';
import { startPausableRelay, type PausableRelay } from './test-support/pausable-relay';
import { CRD_DIR } from './test-support/sync-harness';

jest.setTimeout(180_000);

const NAMESPACE = 'informer-test';
const logger = createJsonLogger('k8s-sync-test', 'error');

let kube: KubeApiServer;
let k8s: KubernetesClientModule;
let relay: PausableRelay;
let direct: CustomObjectsApi;
let informer: ResourceInformer<'Device'>;
const changed: string[] = [];
const restarts: InformerRestart[] = [];

const target = { group: GROUP, version: VERSION, namespace: NAMESPACE, plural: 'devices' };
const device = (name: string) => ({
  apiVersion: `${GROUP}/${VERSION}`,
  kind: 'Device',
  metadata: { name },
  spec: { publicKey: Buffer.alloc(32, name.length).toString('base64'), board: 'b', architecture: 'a' },
});

function clientVia(server: string): { objects: CustomObjectsApi; watch: InstanceType<KubernetesClientModule['Watch']> } {
  const kc = new k8s.KubeConfig();
  kc.loadFromClusterAndUser({ name: 'test', server, caData: Buffer.from(kube.caPem).toString('base64'), skipTLSVerify: false }, { name: 'admin', token: kube.token });
  return { objects: kc.makeApiClient(k8s.CustomObjectsApi), watch: new k8s.Watch(kc) };
}

/** Compacts etcd's history up to its current revision (etcd's JSON gateway). */
async function compactEtcd(): Promise<void> {
  const status = (await (await fetch(`${kube.etcdUrl}/v3/kv/range`, { method: 'POST', body: JSON.stringify({ key: Buffer.from('/').toString('base64') }) })).json()) as { header: { revision: string } };
  const res = await fetch(`${kube.etcdUrl}/v3/kv/compaction`, { method: 'POST', body: JSON.stringify({ revision: status.header.revision, physical: true }) });
  expect(res.status).toBe(200);
}

const names = () => informer.names().sort();

beforeAll(async () => {
  k8s = await loadKubernetesClient();
  kube = await startKubeApiServer({ apiServerArgs: ['--watch-cache=false'] });
  await kube.kubectl(['apply', '-k', CRD_DIR]);
  await kube.kubectl(['wait', '--for=condition=Established', '--timeout=60s', `crd/devices.${GROUP}`]);
  await kube.kubectl(['create', 'namespace', NAMESPACE]);
  relay = await startPausableRelay(kube.port);
  direct = clientVia(kube.url).objects;
  const relayed = clientVia(`https://127.0.0.1:${relay.port}`);
  informer = new ResourceInformer({
    kind: 'Device',
    namespace: NAMESPACE,
    customObjects: relayed.objects,
    watch: relayed.watch,
    logger,
    onChange: (_kind, name) => changed.push(name),
    onRestart: (_kind, reason) => restarts.push(reason),
  });
  await direct.createNamespacedCustomObject({ ...target, body: device('dev-1') });
  informer.start();
  await eventually('first list', () => informer.synced, 30_000);
}, 240_000);

afterAll(async () => {
  await informer?.stop();
  await relay?.close();
  await kube?.stop();
});

it('lists, then follows creations, changes and deletions', async () => {
  expect(names()).toEqual(['dev-1']);
  await direct.createNamespacedCustomObject({ ...target, body: device('dev-2') });
  await direct.deleteNamespacedCustomObject({ ...target, name: 'dev-1' });
  await eventually('dev-2 only', () => JSON.stringify(names()) === '["dev-2"]', 30_000);
  expect(changed).toEqual(expect.arrayContaining(['dev-1', 'dev-2']));
});

it('resumes from its last resourceVersion after an outage, missing nothing', async () => {
  restarts.length = 0;
  relay.pause();
  await direct.createNamespacedCustomObject({ ...target, body: device('dev-3') });
  await eventually('the watch noticed the outage', () => restarts.includes('watch_error'), 60_000);
  await direct.deleteNamespacedCustomObject({ ...target, name: 'dev-2' });
  relay.resume();
  await eventually('dev-3 only', () => JSON.stringify(names()) === '["dev-3"]', 60_000);
  expect(restarts).not.toContain('relist_expired');
});

it('lists again when its resourceVersion was compacted away (410 Gone), reporting what changed meanwhile', async () => {
  restarts.length = 0;
  changed.length = 0;
  relay.pause();
  await eventually('the watch noticed the outage', () => restarts.includes('watch_error'), 60_000);
  await direct.createNamespacedCustomObject({ ...target, body: device('dev-4') });
  await direct.deleteNamespacedCustomObject({ ...target, name: 'dev-3' });
  await compactEtcd();
  relay.resume();
  await eventually('dev-4 only', () => JSON.stringify(names()) === '["dev-4"]', 60_000);
  expect(restarts).toContain('relist_expired');
  // The relist reports the object deleted during the outage, not only the new one.
  expect(changed).toEqual(expect.arrayContaining(['dev-3', 'dev-4']));
});
