/**
 * A real Kubernetes API server for integration tests: the pinned kube-apiserver
 * and etcd (built by scripts/build-kube-apiserver.sh) on free loopback ports, with
 * RBAC, static-token users and service-account tokens. There is no
 * kube-controller-manager: no default ServiceAccounts, no garbage collection, and
 * deleted namespaces stay Terminating — use a fresh namespace per test.
 */
import { request } from 'node:https';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port';
import { findKubeBinaries } from './kube-binaries';
import { KUBE_ADMIN_USER, kubeconfigText, tokenFileText, withTokens, type KubeTokenUser, type KubeUser } from './kube-config';
import { UnknownKubeUserError } from './kube-errors';
import { startTestEtcd } from './kube-etcd';
import { runKubectl, type KubectlOptions, type KubectlResult } from './kube-kubectl';
import { createKubePki, type KubePki } from './kube-pki';
import { lostPortRace, startLoggedProcess, waitUntilReady, type LoggedProcess } from './kube-process';

export interface KubeApiServerOptions {
  /**
   * Extra users with static bearer tokens (see tokenFor). Declared up front: the
   * token file is read once at start. For service accounts, serviceAccountToken()
   * gives real signed tokens at any time.
   */
  readonly users?: readonly KubeUser[];
  /** Extra kube-apiserver flags, appended last (later flags win). */
  readonly apiServerArgs?: readonly string[];
  /** How long etcd + kube-apiserver may take to become ready. Default 90 s (shared CI cores). */
  readonly readyTimeoutMs?: number;
  /** How long each process may take to exit on SIGTERM before SIGKILL. Default 5 s. */
  readonly stopTimeoutMs?: number;
}

export interface KubeApiServer {
  /** e.g. `https://127.0.0.1:41234`. */
  readonly url: string;
  readonly port: number;
  /** Bearer token of the administrator (`wasmbed-test-admin`, group system:masters). */
  readonly token: string;
  /** CA that signed the serving certificate: file and PEM. */
  readonly caPath: string;
  readonly caPem: string;
  /** Kubeconfig with server, CA and the admin token; for kubectl and @kubernetes/client-node. */
  readonly kubeconfigPath: string;
  /** Where kube-apiserver, kubectl and etcd live. */
  readonly binDir: string;
  /** Temp dir with certificates, token file, etcd data and logs (removed by stop()). */
  readonly dir: string;
  /** e.g. `http://127.0.0.1:41235`. */
  readonly etcdUrl: string;
  /** True while both kube-apiserver and etcd run. */
  readonly running: boolean;
  /** The static token of the admin or of a user declared in options.users. */
  tokenFor(user: string): string;
  /**
   * A token of `system:serviceaccount:<namespace>:<name>` (groups system:serviceaccounts,
   * system:serviceaccounts:<namespace>, system:authenticated), from the TokenRequest API.
   * Creates the namespace and the ServiceAccount if missing.
   */
  serviceAccountToken(namespace: string, name: string, options?: { expirationSeconds?: number }): Promise<string>;
  /** Writes a kubeconfig for another token (e.g. a restricted user) and returns its path. */
  writeKubeconfig(options: { token: string; namespace?: string; path?: string }): Promise<string>;
  /** Runs the built kubectl against this server (as admin unless options.token). */
  kubectl(args: readonly string[], options?: KubectlOptions): Promise<KubectlResult>;
  /** The last lines of the kube-apiserver and etcd logs. */
  logTail(lines?: number): string;
  /** Stops kube-apiserver, then etcd, and deletes `dir`. Idempotent. */
  stop(): Promise<void>;
}

const START_ATTEMPTS = 3;
const SERVICE_ACCOUNT_ISSUER = 'https://kubernetes.default.svc.cluster.local';

/** GET with the cluster CA and a bearer token; resolves with the status code. */
function getStatus(url: string, path: string, token: string, caPem: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}${path}`, { method: 'GET', ca: caPem, headers: { authorization: `Bearer ${token}` }, timeout: 5_000 }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}

function apiServerArgs(pki: KubePki, port: number, etcdUrl: string, tokenFile: string, extra: readonly string[]): string[] {
  return [
    '--bind-address=127.0.0.1',
    '--advertise-address=127.0.0.1',
    `--secure-port=${port}`,
    `--tls-cert-file=${pki.servingCertPath}`,
    `--tls-private-key-file=${pki.servingKeyPath}`,
    `--etcd-servers=${etcdUrl}`,
    `--token-auth-file=${tokenFile}`,
    '--authorization-mode=RBAC',
    `--service-account-issuer=${SERVICE_ACCOUNT_ISSUER}`,
    `--service-account-key-file=${pki.serviceAccountPublicKeyPath}`,
    `--service-account-signing-key-file=${pki.serviceAccountKeyPath}`,
    '--service-cluster-ip-range=10.96.0.0/24',
    // Without kube-controller-manager no "default" ServiceAccount ever appears, and
    // this plugin would reject every Pod for lacking it.
    '--disable-admission-plugins=ServiceAccount',
    // The kubernetes Service's endpoints would be 127.0.0.1, which Endpoints validation rejects.
    '--endpoint-reconciler-type=none',
    '--profiling=false',
    ...extra,
  ];
}

async function launchApiServer(
  binary: string,
  dir: string,
  pki: KubePki,
  etcd: LoggedProcess,
  etcdUrl: string,
  admin: KubeTokenUser,
  options: KubeApiServerOptions & { tokenFile: string },
): Promise<{ process: LoggedProcess; port: number; url: string }> {
  const port = await freePort();
  const url = `https://127.0.0.1:${port}`;
  const args = apiServerArgs(pki, port, etcdUrl, options.tokenFile, options.apiServerArgs ?? []);
  const proc = startLoggedProcess('kube-apiserver', binary, args, join(dir, 'kube-apiserver.log'));
  const ready = async (): Promise<boolean> =>
    (await getStatus(url, '/readyz', admin.token, pki.caPem)) === 200 &&
    // Ready before the system-namespaces controller created "default" would surprise tests.
    (await getStatus(url, '/api/v1/namespaces/default', admin.token, pki.caPem)) === 200;
  try {
    await waitUntilReady(proc, ready, { timeoutMs: options.readyTimeoutMs ?? 90_000, related: [etcd], intervalMs: 200 });
  } catch (err) {
    await proc.stop(1_000);
    throw err;
  }
  return { process: proc, port, url };
}

/** Starts etcd and kube-apiserver and resolves once the API server is ready (see KubeApiServer). */
export async function startKubeApiServer(options: KubeApiServerOptions = {}): Promise<KubeApiServer> {
  const binaries = await findKubeBinaries();
  const stopTimeoutMs = options.stopTimeoutMs ?? 5_000;
  const dir = await mkdtemp(join(tmpdir(), 'wasmbed-kube-'));
  const users = withTokens([KUBE_ADMIN_USER, ...(options.users ?? [])]);
  const admin = users[0];
  const tokenFile = join(dir, 'tokens.csv');
  const kubeconfigPath = join(dir, 'kubeconfig');

  let etcd: Awaited<ReturnType<typeof startTestEtcd>> | undefined;
  let apiServer: Awaited<ReturnType<typeof launchApiServer>> | undefined;
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    await apiServer?.process.stop(stopTimeoutMs);
    await etcd?.process.stop(stopTimeoutMs);
    await rm(dir, { recursive: true, force: true });
  };

  let pki: KubePki;
  try {
    pki = await createKubePki(dir);
    await writeFile(tokenFile, tokenFileText(users), { mode: 0o600 });
    etcd = await startTestEtcd(binaries.etcd, dir, options.readyTimeoutMs ?? 90_000);
    for (let attempt = 1; apiServer === undefined; attempt++) {
      try {
        apiServer = await launchApiServer(binaries.kubeApiServer, dir, pki, etcd.process, etcd.url, admin, { ...options, tokenFile });
      } catch (err) {
        if (!lostPortRace(err) || attempt >= START_ATTEMPTS) throw err;
      }
    }
    await writeFile(kubeconfigPath, kubeconfigText({ server: apiServer.url, caPem: pki.caPem, user: admin.name, token: admin.token }));
  } catch (err) {
    await stop();
    throw err;
  }

  const { url, port, process: apiProcess } = apiServer;
  const etcdProcess = etcd.process;
  const kubectl = (args: readonly string[], kubectlOptions?: KubectlOptions): Promise<KubectlResult> =>
    runKubectl(binaries.kubectl, kubeconfigPath, args, kubectlOptions);
  let kubeconfigs = 0;

  return {
    url,
    port,
    token: admin.token,
    caPath: pki.caPath,
    caPem: pki.caPem,
    kubeconfigPath,
    binDir: binaries.binDir,
    dir,
    etcdUrl: etcd.url,
    get running() {
      return apiProcess.running && etcdProcess.running;
    },
    tokenFor(user) {
      const found = users.find((u) => u.name === user);
      if (!found) throw new UnknownKubeUserError(user, users.map((u) => u.name));
      return found.token;
    },
    async serviceAccountToken(namespace, name, tokenOptions = {}) {
      const objects = {
        apiVersion: 'v1',
        kind: 'List',
        items: [
          { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } },
          { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace } },
        ],
      };
      await kubectl(['apply', '-f', '-'], { input: JSON.stringify(objects) });
      const duration = `${tokenOptions.expirationSeconds ?? 3600}s`;
      const { stdout } = await kubectl(['create', 'token', name, '-n', namespace, `--duration=${duration}`]);
      return stdout.trim();
    },
    async writeKubeconfig({ token, namespace, path }) {
      const target = path ?? join(dir, `kubeconfig-${++kubeconfigs}`);
      await writeFile(target, kubeconfigText({ server: url, caPem: pki.caPem, user: 'test-user', token, namespace }), { mode: 0o600 });
      return target;
    },
    kubectl,
    logTail: (lines) => [apiProcess.logTail(lines), etcdProcess.logTail(lines)].join('\n'),
    stop,
  };
}
