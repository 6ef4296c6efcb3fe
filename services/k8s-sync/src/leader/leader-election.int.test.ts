import { createJsonLogger } from '@wasmbed/service-kit';
import { eventually, startKubeApiServer, type KubeApiServer } from '@wasmbed/testing';
import { startLeaderElection, type LeaderElection, type LeaderElectionOptions } from './index';
import { loadKubernetesClient, type KubernetesClientModule } from '../kube/client-module';
import { startPausableRelay } from '../test-support/pausable-relay';

type KubeClient = KubernetesClientModule;
type CoordinationV1Api = InstanceType<KubeClient['CoordinationV1Api']>;

const logger = createJsonLogger('k8s-sync-test', 'error');
const LEASE_MS = 3_000;
const RENEW_MS = 500;

describe('startLeaderElection against a real kube-apiserver', () => {
  let kube: KubeApiServer;
  let k8s: KubeClient;
  let namespaces = 0;
  const electors: LeaderElection[] = [];

  beforeAll(async () => {
    k8s = await loadKubernetesClient();
    kube = await startKubeApiServer();
  }, 180_000);

  afterEach(async () => {
    await Promise.all(electors.splice(0).map((e) => e.stop()));
  });

  afterAll(async () => {
    await kube?.stop();
  });

  function coordinationApi(server = kube.url): CoordinationV1Api {
    const kc = new k8s.KubeConfig();
    kc.loadFromOptions({
      clusters: [{ name: 'test', server, caData: Buffer.from(kube.caPem).toString('base64') }],
      users: [{ name: 'admin', token: kube.token }],
      contexts: [{ name: 'test', cluster: 'test', user: 'admin' }],
      currentContext: 'test',
    });
    return kc.makeApiClient(k8s.CoordinationV1Api);
  }

  async function freshNamespace(): Promise<string> {
    const namespace = `leader-${++namespaces}`;
    await kube.kubectl(['create', 'namespace', namespace]);
    return namespace;
  }

  /** An elector that records when it started and stopped leading. */
  function elector(namespace: string, identity: string, options: Partial<LeaderElectionOptions> = {}) {
    const events: { what: 'started' | 'stopped'; at: number }[] = [];
    const election = startLeaderElection({
      coordinationApi: coordinationApi(),
      namespace,
      leaseName: 'k8s-sync',
      identity,
      leaseDurationMs: LEASE_MS,
      renewIntervalMs: RENEW_MS,
      logger,
      onStartedLeading: () => void events.push({ what: 'started', at: Date.now() }),
      onStoppedLeading: () => void events.push({ what: 'stopped', at: Date.now() }),
      ...options,
    });
    electors.push(election);
    return { election, events, identity };
  }

  const holderOf = async (namespace: string) => (await coordinationApi().readNamespacedLease({ name: 'k8s-sync', namespace })).spec;

  it('elects exactly one of two, and the other takes over at once when the leader stops', async () => {
    const namespace = await freshNamespace();
    // A long lease: a takeover well within it can only come from the release.
    const a = elector(namespace, 'sync-a', { leaseDurationMs: 10_000 });
    const b = elector(namespace, 'sync-b', { leaseDurationMs: 10_000 });
    await eventually('a leader', async () => a.election.isLeader() || b.election.isLeader(), 10_000);
    // Never two at once while both keep running for a few lease renewals.
    for (let i = 0; i < 30; i += 1) {
      expect(Number(a.election.isLeader()) + Number(b.election.isLeader())).toBe(1);
      await new Promise((r) => setTimeout(r, 100));
    }
    const [leader, follower] = a.election.isLeader() ? [a, b] : [b, a];
    expect((await holderOf(namespace))?.holderIdentity).toBe(leader.identity);

    const stoppedAt = Date.now();
    await leader.election.stop();
    expect(leader.events.map((e) => e.what)).toEqual(['started', 'stopped']);
    await eventually('the follower leading', async () => follower.election.isLeader(), 10_000);
    // Released on stop: the follower needs one look, not a whole lease duration.
    expect(Date.now() - stoppedAt).toBeLessThan(3_000);
    const spec = await holderOf(namespace);
    expect(spec?.holderIdentity).toBe(follower.identity);
    expect(spec?.leaseTransitions).toBe(1);
  });

  it('takes over a lease its holder stopped renewing once the lease duration has passed', async () => {
    const namespace = await freshNamespace();
    const a = elector(namespace, 'sync-a', { releaseOnStop: false });
    await eventually('sync-a leading', async () => a.election.isLeader(), 10_000);
    const b = elector(namespace, 'sync-b');
    await new Promise((r) => setTimeout(r, 2 * RENEW_MS));
    expect(b.election.isLeader()).toBe(false);
    const stoppedAt = Date.now();
    await a.election.stop(); // as a crash would: the lease stays held
    expect((await holderOf(namespace))?.holderIdentity).toBe('sync-a');
    await eventually('sync-b leading', async () => b.election.isLeader(), 15_000);
    const took = Date.now() - stoppedAt;
    expect(took).toBeGreaterThanOrEqual(LEASE_MS - RENEW_MS);
    expect(took).toBeLessThan(2 * LEASE_MS);
  });

  it('a leader cut off from the apiserver stops leading before another instance can take over', async () => {
    const namespace = await freshNamespace();
    // A TCP relay to the apiserver, paused below as a network partition would.
    const relay = await startPausableRelay(kube.port);
    // sync-a reaches the apiserver only through the relay.
    const cutOff = elector(namespace, 'sync-a', { coordinationApi: coordinationApi(`https://127.0.0.1:${relay.port}`) });
    let b: ReturnType<typeof elector>;
    try {
      await eventually('sync-a leading', async () => cutOff.election.isLeader(), 10_000);
      b = elector(namespace, 'sync-b');
      await new Promise((r) => setTimeout(r, RENEW_MS));
      relay.pause();
      await eventually('sync-b leading', async () => b.election.isLeader(), 15_000);
    } finally {
      await relay.close();
    }
    const stopped = cutOff.events.find((e) => e.what === 'stopped');
    const started = b.events.find((e) => e.what === 'started');
    expect(stopped).toBeDefined();
    expect(started).toBeDefined();
    expect(stopped!.at).toBeLessThan(started!.at);
    expect(cutOff.election.isLeader()).toBe(false);
  });
});
