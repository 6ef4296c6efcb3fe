import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import {
  KubeBinariesNotFoundError,
  KubectlError,
  startKubeApiServer,
  UnknownKubeUserError,
  type KubeApiServer,
} from './index';

// ESM-only package: jest must transform it (see jest.config.js transformIgnorePatterns).
type KubeClient = typeof import('@kubernetes/client-node', { with: { 'resolution-mode': 'import' } });

const RESTRICTED = { name: 'restricted', groups: ['system:authenticated'] };

/** True once nothing listens on the port any more. */
function canBind(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

async function statusOf(call: Promise<unknown>): Promise<number> {
  const err = await call.then(() => undefined, (e: unknown) => e);
  return (err as { code?: number } | undefined)?.code ?? 200;
}

describe('startKubeApiServer', () => {
  let server: KubeApiServer;
  let k8s: KubeClient;
  let startupMs = 0;

  function coreApiFrom(kubeconfigPath: string): InstanceType<KubeClient['CoreV1Api']> {
    const kc = new k8s.KubeConfig();
    kc.loadFromFile(kubeconfigPath);
    return kc.makeApiClient(k8s.CoreV1Api);
  }

  beforeAll(async () => {
    k8s = await import('@kubernetes/client-node');
    const started = Date.now();
    server = await startKubeApiServer({ users: [RESTRICTED] });
    startupMs = Date.now() - started;
  }, 120_000);

  afterAll(async () => {
    await server?.stop();
  });

  it('serves the API over TLS on loopback, ready within the timeout', () => {
    expect(server.url).toBe(`https://127.0.0.1:${server.port}`);
    expect(server.caPem).toMatch(/^-----BEGIN CERTIFICATE-----/);
    expect(existsSync(server.caPath)).toBe(true);
    expect(server.running).toBe(true);
    // Informational: how long etcd + kube-apiserver took to become ready here.
    process.stdout.write(`kube-apiserver ready in ${startupMs} ms\n`);
    expect(startupMs).toBeLessThan(90_000);
  });

  it('lists namespaces and creates a ConfigMap with @kubernetes/client-node', async () => {
    const core = coreApiFrom(server.kubeconfigPath);
    const names = (await core.listNamespace()).items.map((ns) => ns.metadata?.name);
    expect(names).toEqual(expect.arrayContaining(['default', 'kube-system']));

    await core.createNamespace({ body: { metadata: { name: 'harness-configmap' } } });
    await core.createNamespacedConfigMap({
      namespace: 'harness-configmap',
      body: { metadata: { name: 'probe' }, data: { greeting: 'hello' } },
    });
    const read = await core.readNamespacedConfigMap({ namespace: 'harness-configmap', name: 'probe' });
    expect(read.data).toEqual({ greeting: 'hello' });
    // Optimistic concurrency is the real server's: a second create conflicts.
    expect(await statusOf(core.createNamespacedConfigMap({ namespace: 'harness-configmap', body: { metadata: { name: 'probe' } } }))).toBe(409);
  });

  it('enforces RBAC: a declared user is forbidden until a Role grants access', async () => {
    const restricted = coreApiFrom(await server.writeKubeconfig({ token: server.tokenFor('restricted') }));
    await server.kubectl(['create', 'namespace', 'harness-rbac']);
    await server.kubectl(['create', 'configmap', 'probe', '-n', 'harness-rbac', '--from-literal=k=v']);

    expect(await statusOf(restricted.listNamespace())).toBe(403);
    expect(await statusOf(restricted.readNamespacedConfigMap({ namespace: 'harness-rbac', name: 'probe' }))).toBe(403);
    // A wrong token is unauthenticated, not forbidden.
    const stranger = coreApiFrom(await server.writeKubeconfig({ token: 'not-a-token' }));
    expect(await statusOf(stranger.listNamespace())).toBe(401);

    await server.kubectl(['create', 'role', 'read-configmaps', '-n', 'harness-rbac', '--verb=get', '--resource=configmaps']);
    await server.kubectl(['create', 'rolebinding', 'restricted-reads', '-n', 'harness-rbac', '--role=read-configmaps', '--user=restricted']);
    const read = await restricted.readNamespacedConfigMap({ namespace: 'harness-rbac', name: 'probe' });
    expect(read.data).toEqual({ k: 'v' });
    expect(await statusOf(restricted.listNamespace())).toBe(403);
  });

  it('issues real service-account tokens', async () => {
    const token = await server.serviceAccountToken('harness-sa', 'wasmbed-k8s-sync');
    const { stdout } = await server.kubectl(['auth', 'whoami', '-o', 'json'], { token });
    const user = (JSON.parse(stdout) as { status: { userInfo: { username: string; groups: string[] } } }).status.userInfo;
    expect(user.username).toBe('system:serviceaccount:harness-sa:wasmbed-k8s-sync');
    expect(user.groups).toEqual(
      expect.arrayContaining(['system:serviceaccounts', 'system:serviceaccounts:harness-sa', 'system:authenticated']),
    );
    // Idempotent: the namespace and ServiceAccount already exist.
    expect(await server.serviceAccountToken('harness-sa', 'wasmbed-k8s-sync')).not.toBe('');
  });

  it('runs the built kubectl, reporting failures with their stderr', async () => {
    const { stdout } = await server.kubectl(['get', 'ns', '-o', 'name']);
    expect(stdout.split('\n')).toEqual(expect.arrayContaining(['namespace/default', 'namespace/kube-system']));

    const applied = await server.kubectl(['apply', '-f', '-'], {
      input: JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'harness-kubectl' } }),
    });
    expect(applied.stdout).toMatch(/namespace\/harness-kubectl created/);

    const denied = await server.kubectl(['get', 'ns'], { token: server.tokenFor('restricted') }).catch((e: unknown) => e);
    expect(denied).toBeInstanceOf(KubectlError);
    expect((denied as KubectlError).exitCode).toBe(1);
    expect((denied as KubectlError).stderr).toMatch(/forbidden/i);
  });

  it('knows only declared static-token users', () => {
    expect(server.tokenFor('wasmbed-test-admin')).toBe(server.token);
    expect(() => server.tokenFor('nobody')).toThrow(UnknownKubeUserError);
  });

  it('stop() ends both processes and removes the temp dir', async () => {
    const etcdPort = Number(new URL(server.etcdUrl).port);
    await server.stop();
    expect(server.running).toBe(false);
    expect(existsSync(server.dir)).toBe(false);
    expect(await canBind(server.port)).toBe(true);
    expect(await canBind(etcdPort)).toBe(true);
    await server.stop(); // idempotent
  });
});

describe('startKubeApiServer without binaries', () => {
  it('names the build command', async () => {
    const previous = process.env.WASMBED_KUBE_BIN_DIR;
    process.env.WASMBED_KUBE_BIN_DIR = '/nonexistent/kube-bin';
    try {
      const err = await startKubeApiServer().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(KubeBinariesNotFoundError);
      expect((err as Error).message).toMatch(/bash scripts\/build-kube-apiserver\.sh/);
      expect((err as Error).message).toMatch(/\/nonexistent\/kube-bin\/kube-apiserver/);
    } finally {
      if (previous === undefined) delete process.env.WASMBED_KUBE_BIN_DIR;
      else process.env.WASMBED_KUBE_BIN_DIR = previous;
    }
  });
});
