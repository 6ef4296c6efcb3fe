import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureDevPki } from '@wasmbed/pki';
import { KubectlError, startKubeApiServer, type KubeApiServer } from '@wasmbed/testing';
import { byIdentity, parseObjects, withoutNameHashes } from './support/kube-render';
import { kindOf, nameOf, renderKustomization } from './support/kustomize-lite';
import { isObject } from './support/json';
import { BASE_DIR, CRDS_DIR, DEV_DIR } from './support/paths';
import { find } from './support/workloads';

/**
 * The manifests against a real kube-apiserver (no controllers: nothing is
 * scheduled). Server-side dry runs validate every object as the API server
 * would store it, Pod Security admission included; the base is then applied for
 * real to check, with the ServiceAccounts' own tokens, what RBAC lets them do.
 */

const NAMESPACE = 'wasmbed';
const VARIANTS: [string, string][] = [
  ['base', BASE_DIR],
  ['dev overlay', DEV_DIR],
];

let kube: KubeApiServer;

beforeAll(async () => {
  kube = await startKubeApiServer();
}, 150_000);

afterAll(async () => {
  await kube?.stop();
});

describe('kubectl kustomize', () => {
  it.each(VARIANTS)('renders the %s exactly as the unit tests’ reader does (but for ConfigMap name hashes)', async (_name, dir) => {
    const lite = renderKustomization(dir);
    const { stdout } = await kube.kubectl(['kustomize', dir]);
    const real = withoutNameHashes(parseObjects(stdout), lite.generatedConfigMaps);
    expect(byIdentity(real)).toEqual(byIdentity(lite.objects));
    // kustomize does hash them, so a change of the config rolls the pods.
    expect(parseObjects(stdout).filter((o) => kindOf(o) === 'ConfigMap').map(nameOf)).not.toContain('wasmbed-config');
  });
});

describe('on the API server', () => {
  beforeAll(async () => {
    // CRDs for real first: the API server must know the kinds before it can take their objects.
    await kube.kubectl(['apply', '-k', CRDS_DIR]);
    await kube.kubectl(['wait', '--for=condition=Established', 'crd', '--all', '--timeout=60s'], { timeoutMs: 70_000 });
    await kube.kubectl(['apply', '-f', join(BASE_DIR, 'namespace.yaml')]);
  }, 90_000);

  it('enforces the restricted Pod Security Standard in the namespace (a privileged pod template is warned about)', async () => {
    const api = structuredClone(find(renderKustomization(BASE_DIR).objects, 'Deployment', 'wasmbed-api'));
    const pod = (api.spec as { template: { spec: Record<string, unknown> } }).template.spec;
    delete pod.securityContext;
    const { stderr } = await kube.kubectl(['apply', '--dry-run=server', '-f', '-'], { input: JSON.stringify(api) });
    expect(stderr).toMatch(/would violate PodSecurity "restricted:latest"/);
  });

  it.each(VARIANTS)('accepts every object of the %s in a server-side dry run, without any warning', async (_name, dir) => {
    const rendered = renderKustomization(dir).objects;
    const { stdout, stderr } = await kube.kubectl(['apply', '--dry-run=server', '-k', dir], { timeoutMs: 60_000 });
    expect(stderr.trim()).toBe('');
    const lines = stdout.trim().split('\n');
    expect(lines.every((line) => line.endsWith('(server dry run)'))).toBe(true);
    expect(lines).toHaveLength(rendered.length);
  });

  describe('applied for real, with the Secrets made as infra/k8s/README.md makes them', () => {
    let pkiDir: string;

    beforeAll(async () => {
      pkiDir = await mkdtemp(join(tmpdir(), 'wasmbed-k8s-pki-'));
      const pki = await ensureDevPki(join(pkiDir, 'gateway'), { gatewayHosts: ['localhost', '127.0.0.1', 'wasmbed-gateway.wasmbed.svc.cluster.local'] });
      const apiPki = await ensureDevPki(join(pkiDir, 'api'), { gatewayHosts: ['wasmbed-api', 'wasmbed-api.wasmbed.svc', 'localhost', '127.0.0.1'] });
      const sha = (token: string) => createHash('sha256').update(token).digest('hex');
      const syncToken = randomBytes(32).toString('hex');
      const tokens = JSON.stringify([
        { subject: 'admin', role: 'admin', tokenSha256: sha(randomBytes(32).toString('hex')) },
        { subject: 'k8s-sync', role: 'admin', tokenSha256: sha(syncToken) },
      ]);
      const ns = ['-n', NAMESPACE];
      await kube.kubectl([...ns, 'create', 'secret', 'generic', 'wasmbed-api-tokens', `--from-literal=tokens.json=${tokens}`]);
      await kube.kubectl([...ns, 'create', 'secret', 'generic', 'wasmbed-k8s-sync-api-token', `--from-literal=token=${syncToken}`]);
      await kube.kubectl([...ns, 'create', 'secret', 'tls', 'wasmbed-gateway-tls', `--cert=${pki.files.serverCert}`, `--key=${pki.files.serverKey}`]);
      await kube.kubectl([...ns, 'create', 'secret', 'generic', 'wasmbed-device-ca', `--from-file=ca.crt=${pki.files.deviceTrust}`]);
      const apiTls = [`--from-file=tls.crt=${apiPki.files.serverCert}`, `--from-file=tls.key=${apiPki.files.serverKey}`, `--from-file=ca.crt=${apiPki.files.caCert}`];
      await kube.kubectl([...ns, 'create', 'secret', 'generic', 'wasmbed-api-tls', ...apiTls]);
      await kube.kubectl(['apply', '-k', BASE_DIR], { timeoutMs: 60_000 });
    }, 120_000);

    afterAll(async () => {
      if (pkiDir) await rm(pkiDir, { recursive: true, force: true });
    });

    it('stores every object of the base', async () => {
      const expected = renderKustomization(BASE_DIR).objects.filter((o) => kindOf(o) !== 'CustomResourceDefinition' && kindOf(o) !== 'Namespace' && kindOf(o) !== 'ConfigMap');
      const kinds = [...new Set(expected.map(kindOf))].map((k) => k.toLowerCase()).join(',');
      const { stdout } = await kube.kubectl(['get', '-n', NAMESPACE, kinds, '-l', 'app.kubernetes.io/part-of=wasmbed', '-o', 'json']);
      const stored = (JSON.parse(stdout) as { items: unknown[] }).items.filter(isObject);
      expect(stored.map((o) => `${kindOf(o)}/${nameOf(o)}`).sort()).toEqual(expected.map((o) => `${kindOf(o)}/${nameOf(o)}`).sort());
    });

    /** `kubectl auth can-i` as the holder of `token`: exit 0 = yes, 1 = no. */
    async function canI(token: string, check: string): Promise<boolean> {
      try {
        await kube.kubectl(['auth', 'can-i', ...check.split(' ')], { token });
        return true;
      } catch (err) {
        if (err instanceof KubectlError && err.exitCode === 1 && err.stdout.trim() === 'no') return false;
        throw err;
      }
    }

    async function answers(serviceAccount: string, checks: readonly string[]): Promise<[string, boolean][]> {
      // A real service-account token (TokenRequest), authenticated as the pod would be.
      const { stdout } = await kube.kubectl(['create', 'token', serviceAccount, '-n', NAMESPACE]);
      const token = stdout.trim();
      const result: [string, boolean][] = [];
      for (const check of checks) result.push([check, await canI(token, check)]);
      return result;
    }

    const WASMBED = ['devices', 'applications', 'gateways'].map((r) => `${r}.wasmbed.github.io`);
    // As services/k8s-sync/README.md lists it ("RBAC it needs").
    const SYNC_NEEDS = [
      ...WASMBED.flatMap((r) => ['get', 'list', 'watch', 'create', 'update', 'patch'].map((verb) => `${verb} ${r} -n ${NAMESPACE}`)),
      `delete applications.wasmbed.github.io -n ${NAMESPACE}`,
      ...WASMBED.flatMap((r) => ['get', 'update', 'patch'].map((verb) => `${verb} ${r} --subresource=status -n ${NAMESPACE}`)),
      ...WASMBED.map((r) => `update ${r} --subresource=finalizers -n ${NAMESPACE}`),
      `create leases.coordination.k8s.io -n ${NAMESPACE}`,
      `get leases.coordination.k8s.io/wasmbed-k8s-sync -n ${NAMESPACE}`,
      `update leases.coordination.k8s.io/wasmbed-k8s-sync -n ${NAMESPACE}`,
    ];
    const NOBODY_GETS = [
      `get secrets -n ${NAMESPACE}`,
      `list secrets -n ${NAMESPACE}`,
      `list pods -n ${NAMESPACE}`,
      `create pods -n ${NAMESPACE}`,
      `get configmaps -n ${NAMESPACE}`,
      `create events -n ${NAMESPACE}`,
      `create deployments.apps -n ${NAMESPACE}`,
      `update roles.rbac.authorization.k8s.io -n ${NAMESPACE}`,
      `impersonate serviceaccounts -n ${NAMESPACE}`,
      `create serviceaccounts --subresource=token -n ${NAMESPACE}`,
      `delete devices.wasmbed.github.io -n ${NAMESPACE}`,
      `delete gateways.wasmbed.github.io -n ${NAMESPACE}`,
      `deletecollection applications.wasmbed.github.io -n ${NAMESPACE}`,
      `update leases.coordination.k8s.io/kube-controller-manager -n ${NAMESPACE}`,
      `list leases.coordination.k8s.io -n ${NAMESPACE}`,
      `delete leases.coordination.k8s.io/wasmbed-k8s-sync -n ${NAMESPACE}`,
      `list devices.wasmbed.github.io -n default`,
      `update gateways.wasmbed.github.io --subresource=status -n default`,
      `create leases.coordination.k8s.io -n kube-system`,
      `update leases.coordination.k8s.io/wasmbed-k8s-sync -n default`,
      `list devices.wasmbed.github.io --all-namespaces`,
      `list customresourcedefinitions.apiextensions.k8s.io`,
      `update namespaces`,
    ];

    it('lets k8s-sync do what it needs in its namespace', async () => {
      expect(await answers('wasmbed-k8s-sync', SYNC_NEEDS)).toEqual(SYNC_NEEDS.map((check) => [check, true]));
    });

    it('refuses k8s-sync Secrets, Pods, other namespaces and anything beyond its Role', async () => {
      expect(await answers('wasmbed-k8s-sync', NOBODY_GETS)).toEqual(NOBODY_GETS.map((check) => [check, false]));
    });

    it('gives the gateway (like every other service) no access at all', async () => {
      const checks = [...SYNC_NEEDS, ...NOBODY_GETS];
      expect(await answers('wasmbed-gateway', checks)).toEqual(checks.map((check) => [check, false]));
    });
  });
});
