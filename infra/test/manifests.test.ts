import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { kindOf, nameOf, renderKustomization, type Rendering } from './support/kustomize-lite';
import { arrayAt, isObject, objectAt, stringAt, walk, type JsonObject } from './support/json';
import { ingressAllowed, policiesFor, type Peer } from './support/network-policy';
import { BASE_DIR, DEV_DIR, K8S_DIR, REPO_ROOT, SERVICES } from './support/paths';
import { documentedSecrets } from './support/readme-secrets';
import { configMapValue, envOf, find, labelsOf, ofKind, podPorts, quantity, stringRecord, workloadsOf, type Workload } from './support/workloads';

const NAMESPACE = 'wasmbed';
const PART_OF = { 'app.kubernetes.io/part-of': 'wasmbed' };
/** Variables the manifests set ahead of the services reading them (see infra/k8s/README.md, Open items). */
const NOT_YET_READ = new Set(['WASMBED_JETSTREAM_REPLICAS', 'WASMBED_API_TLS_CERT', 'WASMBED_API_TLS_KEY']);

const renderings: Record<'base' | 'dev', Rendering> = {
  base: renderKustomization(BASE_DIR),
  dev: renderKustomization(DEV_DIR),
};

function service(w: Workload): boolean {
  return (SERVICES as readonly string[]).includes(w.component);
}

/** The ConfigMap key an env variable of the workload's first container comes from. */
function envSource(w: Workload, variable: string): { name?: string; key?: string } {
  const env = envOf(w.containers[0] as JsonObject).find((e) => e.name === variable);
  const ref = objectAt(objectAt(env, 'valueFrom'), 'configMapKeyRef');
  return { name: stringAt(ref, 'name'), key: stringAt(ref, 'key') };
}

function pod(labels: Record<string, string>, namespace = NAMESPACE): Peer {
  return { podLabels: labels, namespaceLabels: { 'kubernetes.io/metadata.name': namespace } };
}

describe.each(Object.entries(renderings))('%s rendering', (_variant, { objects }) => {
  const workloads = workloadsOf(objects);
  const workload = (name: string): Workload => {
    const found = workloads.find((w) => w.name === name);
    if (found === undefined) throw new Error(`no workload ${name}`);
    return found;
  };

  it('has a workload for NATS and for every service, all in the wasmbed namespace', () => {
    expect(workloads.map((w) => w.component).sort()).toEqual([...SERVICES, 'nats'].sort());
    for (const o of objects.filter((o) => kindOf(o) !== 'Namespace' && kindOf(o) !== 'CustomResourceDefinition')) {
      expect(`${kindOf(o)}/${nameOf(o)} in ${stringAt(objectAt(o, 'metadata'), 'namespace')}`).toBe(`${kindOf(o)}/${nameOf(o)} in ${NAMESPACE}`);
    }
    expect(nameOf(find(objects, 'Namespace', NAMESPACE))).toBe(NAMESPACE);
  });

  it('gives every container readiness and liveness probes on named ports, and requests within limits', () => {
    for (const w of workloads) {
      for (const c of w.containers) {
        const where = `${w.name}/${stringAt(c, 'name')}`;
        for (const probe of ['readinessProbe', 'livenessProbe', 'startupProbe']) {
          if (probe === 'startupProbe' && !(probe in c)) continue;
          const port = objectAt(objectAt(c, probe), 'httpGet').port;
          expect([where, probe, typeof port === 'string' && podPorts(w).has(port)]).toEqual([where, probe, true]);
        }
        const requests = objectAt(objectAt(c, 'resources'), 'requests');
        const limits = objectAt(objectAt(c, 'resources'), 'limits');
        for (const resource of ['cpu', 'memory']) {
          const request = requests[resource];
          const limit = limits[resource];
          if ((typeof request !== 'string' && typeof request !== 'number') || (typeof limit !== 'string' && typeof limit !== 'number')) {
            throw new Error(`${where}: ${resource} request and limit are required`);
          }
          expect([where, resource, quantity(request) <= quantity(limit)]).toEqual([where, resource, true]);
        }
      }
    }
  });

  it('runs every container as non-root with a read-only root filesystem, no privileges and the RuntimeDefault seccomp profile', () => {
    for (const w of workloads) {
      const podSecurity = objectAt(w.podSpec, 'securityContext');
      expect([w.name, podSecurity.runAsNonRoot, stringAt(objectAt(podSecurity, 'seccompProfile'), 'type')]).toEqual([w.name, true, 'RuntimeDefault']);
      expect(typeof podSecurity.runAsUser === 'number' && podSecurity.runAsUser > 0).toBe(true);
      for (const c of w.containers) {
        const s = objectAt(c, 'securityContext');
        expect([w.name, s.runAsNonRoot, s.readOnlyRootFilesystem, s.allowPrivilegeEscalation, arrayAt(objectAt(s, 'capabilities'), 'drop')]).toEqual([
          w.name,
          true,
          true,
          false,
          ['ALL'],
        ]);
        expect(objectAt(s, 'capabilities').add).toBeUndefined();
        expect(s.privileged).not.toBe(true);
      }
      expect([w.name, w.podSpec.hostNetwork ?? false, w.podSpec.hostPID ?? false]).toEqual([w.name, false, false]);
      expect(arrayAt(w.podSpec, 'volumes').filter((v) => isObject(v) && 'hostPath' in v)).toEqual([]);
    }
  });

  it('gives every workload its own ServiceAccount, with a token mounted for k8s-sync only', () => {
    const accounts = workloads.map((w) => stringAt(w.podSpec, 'serviceAccountName'));
    expect(new Set(accounts).size).toBe(workloads.length);
    for (const w of workloads) {
      const name = stringAt(w.podSpec, 'serviceAccountName') as string;
      expect(name).toBe(w.name);
      const account = find(objects, 'ServiceAccount', name);
      const talksToKubernetes = w.component === 'k8s-sync';
      expect([name, account.automountServiceAccountToken, w.podSpec.automountServiceAccountToken]).toEqual([name, talksToKubernetes, talksToKubernetes]);
    }
    expect(ofKind(objects, 'ServiceAccount').map(nameOf).sort()).toEqual(accounts.sort());
  });

  it('names every container port, uniquely per pod, and Services target those names', () => {
    for (const w of workloads) {
      const ports = w.containers.flatMap((c) => arrayAt(c, 'ports'));
      const names = ports.map((p) => stringAt(p, 'name'));
      expect(names.every((n) => n !== undefined && /^[a-z0-9]([a-z0-9-]{0,13}[a-z0-9])?$/.test(n))).toBe(true);
      expect(new Set(names).size).toBe(names.length);
    }
    for (const svc of ofKind(objects, 'Service')) {
      const selector = stringRecord(objectAt(objectAt(svc, 'spec'), 'selector'));
      const selected = workloads.filter((w) => Object.entries(selector).every(([k, v]) => w.podLabels[k] === v));
      expect([nameOf(svc), selected.length]).toEqual([nameOf(svc), 1]);
      for (const port of arrayAt(objectAt(svc, 'spec'), 'ports')) {
        const target = isObject(port) ? port.targetPort : undefined;
        expect([nameOf(svc), target, typeof target === 'string' && podPorts(selected[0] as Workload).has(target)]).toEqual([nameOf(svc), target, true]);
        expect(stringAt(port, 'name')).toBe(target);
      }
    }
  });

  it('labels everything part-of wasmbed, and workload selectors match their pods', () => {
    // The CRDs come from infra/crds as they are.
    for (const o of objects.filter((o) => kindOf(o) !== 'CustomResourceDefinition')) expect([kindOf(o), nameOf(o), labelsOf(o)]).toEqual([kindOf(o), nameOf(o), expect.objectContaining(PART_OF)]);
    for (const w of workloads) {
      const selector = stringRecord(objectAt(objectAt(objectAt(w.object, 'spec'), 'selector'), 'matchLabels'));
      expect(selector).toEqual({ 'app.kubernetes.io/name': w.name });
      expect(w.podLabels).toEqual({ ...PART_OF, 'app.kubernetes.io/name': w.name, 'app.kubernetes.io/component': w.component });
      expect(labelsOf(w.object)).toEqual(w.podLabels);
    }
  });

  it('keeps Secrets out of the manifests: referenced only, each created by a command in infra/k8s/README.md with the keys used', () => {
    expect(ofKind(objects, 'Secret')).toEqual([]);
    const documented = documentedSecrets(readFileSync(join(K8S_DIR, 'README.md'), 'utf8'));
    const referenced = new Map<string, Set<string>>();
    const use = (name: string | undefined, key: string) => {
      if (name === undefined) throw new Error('a Secret reference without a name');
      referenced.set(name, (referenced.get(name) ?? new Set()).add(key));
    };
    for (const w of workloads) {
      for (const c of w.containers) {
        for (const e of envOf(c)) {
          const ref = objectAt(objectAt(e, 'valueFrom'), 'secretKeyRef');
          if ('name' in ref) use(stringAt(ref, 'name'), stringAt(ref, 'key') ?? '');
        }
      }
      for (const v of arrayAt(w.podSpec, 'volumes')) {
        const secret = objectAt(v, 'secret');
        if (!('secretName' in secret)) continue;
        const name = stringAt(secret, 'secretName');
        const mounts = w.containers.flatMap((c) => arrayAt(c, 'volumeMounts')).filter((m) => stringAt(m, 'name') === stringAt(v, 'name'));
        // The files the container is told to read from this mount.
        for (const m of mounts) {
          const dir = `${stringAt(m, 'mountPath')}/`;
          const files = w.containers.flatMap(envOf).flatMap((e) => (stringAt(e, 'value')?.startsWith(dir) ? [(stringAt(e, 'value') as string).slice(dir.length)] : []));
          expect([name, files.length > 0]).toEqual([name, true]);
          files.forEach((file) => use(name, file));
        }
      }
    }
    expect([...referenced.keys()].sort()).toEqual(documented.map((d) => d.name).sort());
    for (const [name, keys] of referenced) {
      const doc = documented.find((d) => d.name === name);
      expect([name, [...keys].filter((k) => !doc?.keys.includes(k))]).toEqual([name, []]);
    }
  });

  it('resolves every ConfigMap reference', () => {
    for (const w of workloads) {
      for (const e of w.containers.flatMap(envOf)) {
        const ref = objectAt(objectAt(e, 'valueFrom'), 'configMapKeyRef');
        if ('name' in ref) expect(() => configMapValue(objects, stringAt(ref, 'name') as string, stringAt(ref, 'key') as string)).not.toThrow();
      }
      for (const v of arrayAt(w.podSpec, 'volumes')) {
        const cm = stringAt(objectAt(v, 'configMap'), 'name');
        if (cm !== undefined) expect(() => find(objects, 'ConfigMap', cm)).not.toThrow();
      }
    }
  });

  it('sets only variables the services read, and binds on all interfaces on the ports the containers declare', () => {
    for (const w of workloads.filter(service)) {
      const configFile = join(REPO_ROOT, 'services', w.component, 'src', 'config.ts');
      const config = readFileSync(configFile, 'utf8');
      const env = envOf(w.containers[0] as JsonObject);
      for (const name of env.map((e) => stringAt(e, 'name') as string).filter((n) => n.startsWith('WASMBED_') && !NOT_YET_READ.has(n))) {
        expect([w.component, name, config.includes(`${name}:`)]).toEqual([w.component, name, true]);
      }
      const ports = [...podPorts(w).values()];
      const value = (name: string) => stringAt(env.find((e) => e.name === name), 'value');
      for (const name of env.map((e) => stringAt(e, 'name') as string)) {
        // Listeners: host:port in one variable, or a _HOST and _PORT pair.
        if (name.endsWith('_ADDR')) {
          const m = /^0\.0\.0\.0:(\d+)$/.exec(value(name) ?? '');
          expect([name, m !== null && ports.includes(Number(m[1]))]).toEqual([name, true]);
        } else if (name.endsWith('_HOST')) {
          const port = Number(value(name.replace(/_HOST$/, '_PORT')));
          expect([name, value(name), ports.includes(port)]).toEqual([name, '0.0.0.0', true]);
        }
      }
    }
  });

  it('gives the gateways and the device-controller one heartbeat interval', () => {
    expect(envSource(workload('wasmbed-gateway'), 'WASMBED_GATEWAY_HEARTBEAT_INTERVAL_MS')).toEqual(
      envSource(workload('wasmbed-device-controller'), 'WASMBED_HEARTBEAT_INTERVAL_MS'),
    );
    expect(envSource(workload('wasmbed-gateway'), 'WASMBED_GATEWAY_HEARTBEAT_INTERVAL_MS').key).toBe('heartbeat-interval-ms');
  });

  it('asks for as many JetStream replicas as there are NATS servers, routed to each other', () => {
    const nats = workload('wasmbed-nats');
    const servers = Number(objectAt(nats.object, 'spec').replicas);
    for (const w of workloads.filter((w) => w.containers.some((c) => envOf(c).some((e) => e.name === 'WASMBED_NATS_URL')))) {
      expect([w.name, envSource(w, 'WASMBED_JETSTREAM_REPLICAS')]).toEqual([w.name, { name: 'wasmbed-config', key: 'jetstream-replicas' }]);
    }
    expect(Number(configMapValue(objects, 'wasmbed-config', 'jetstream-replicas'))).toBe(servers);
    const conf = configMapValue(objects, 'wasmbed-nats-config', 'nats.conf');
    const headless = stringAt(objectAt(nats.object, 'spec'), 'serviceName');
    const routes = [...conf.matchAll(/nats:\/\/([a-z0-9-]+)\.([a-z0-9-]+):(\d+)/g)];
    if (servers === 1) {
      expect(conf).not.toMatch(/cluster\s*\{/);
    } else {
      expect(routes.map((r) => r[1])).toEqual(Array.from({ length: servers }, (_, i) => `wasmbed-nats-${i}`));
      expect(new Set(routes.map((r) => `${r[2]}:${r[3]}`))).toEqual(new Set([`${headless}:${podPorts(nats).get('cluster')}`]));
      const svc = find(objects, 'Service', headless as string);
      expect([objectAt(svc, 'spec').clusterIP, objectAt(svc, 'spec').publishNotReadyAddresses]).toEqual(['None', true]);
    }
    // Each server is named after its pod, as JetStream clustering needs unique names.
    expect(conf).toMatch(/^server_name: \$POD_NAME$/m);
    const podName = envOf(nats.containers[0] as JsonObject).find((e) => e.name === 'POD_NAME');
    expect(objectAt(objectAt(podName, 'valueFrom'), 'fieldRef')).toEqual({ fieldPath: 'metadata.name' });
    expect(conf).toMatch(new RegExp(`^port: ${podPorts(nats).get('client')}$`, 'm'));
    expect(conf).toMatch(new RegExp(`^http_port: ${podPorts(nats).get('monitor')}$`, 'm'));
    expect(configMapValue(objects, 'wasmbed-config', 'nats-url')).toBe(`nats://wasmbed-nats:${podPorts(nats).get('client')}`);
    const claim = objectAt(arrayAt(objectAt(nats.object, 'spec'), 'volumeClaimTemplates')[0], 'metadata');
    expect(arrayAt(nats.containers[0], 'volumeMounts').map((m) => stringAt(m, 'name'))).toContain(stringAt(claim, 'name'));
  });

  it('allows exactly the ingress flows the services need', () => {
    const policies = ofKind(objects, 'NetworkPolicy');
    const deny = find(objects, 'NetworkPolicy', 'default-deny-ingress');
    expect(objectAt(deny, 'spec')).toEqual({ podSelector: {}, policyTypes: ['Ingress'] });
    const podOf = (name: string) => pod(workload(name).podLabels);
    const prometheus = pod({ 'app.kubernetes.io/name': 'prometheus' }, 'monitoring');
    const natsUsers = ['wasmbed-api', 'wasmbed-gateway', 'wasmbed-app-controller', 'wasmbed-device-controller'];
    const flows: [string, Peer, string, string, boolean][] = [
      ['devices → gateway TLS', 'external', 'wasmbed-gateway', 'tls', true],
      ['users → api HTTP', 'external', 'wasmbed-api', 'http', true],
      ['k8s-sync → api gRPC', podOf('wasmbed-k8s-sync'), 'wasmbed-api', 'grpc', true],
      ['outside → api gRPC', 'external', 'wasmbed-api', 'grpc', false],
      ['gateway → api gRPC', podOf('wasmbed-gateway'), 'wasmbed-api', 'grpc', false],
      ...natsUsers.map((n): [string, Peer, string, string, boolean] => [`${n} → NATS`, podOf(n), 'wasmbed-nats', 'client', true]),
      ['k8s-sync → NATS', podOf('wasmbed-k8s-sync'), 'wasmbed-nats', 'client', false],
      ['outside → NATS', 'external', 'wasmbed-nats', 'client', false],
      ['NATS → NATS routes', podOf('wasmbed-nats'), 'wasmbed-nats', 'cluster', true],
      ['api → NATS routes', podOf('wasmbed-api'), 'wasmbed-nats', 'cluster', false],
      ['Prometheus → NATS monitoring', prometheus, 'wasmbed-nats', 'monitor', true],
      ['outside → NATS monitoring', 'external', 'wasmbed-nats', 'monitor', false],
      ['outside → gateway HTTP (admin)', 'external', 'wasmbed-gateway', 'http', false],
      ['a pod elsewhere → device-controller', pod({ 'app.kubernetes.io/name': 'prometheus' }, 'default'), 'wasmbed-device-controller', 'http', false],
      ['api → app-controller', podOf('wasmbed-api'), 'wasmbed-app-controller', 'http', false],
      ...workloads.filter(service).map((w): [string, Peer, string, string, boolean] => [`Prometheus → ${w.name} metrics`, prometheus, w.name, 'http', true]),
    ];
    expect(flows.map(([what, peer, to, port]) => [what, ingressAllowed(policies, peer, workload(to), port)])).toEqual(flows.map(([what, , , , allowed]) => [what, allowed]));
    // Every policy selects some pod, and names ports some selected pod has.
    for (const p of policies) {
      const selected = workloads.filter((w) => policiesFor([p], w).length > 0);
      expect([nameOf(p), selected.length > 0]).toEqual([nameOf(p), true]);
      for (const rule of arrayAt(objectAt(p, 'spec'), 'ingress')) {
        for (const port of arrayAt(rule, 'ports')) {
          const name = isObject(port) ? port.port : undefined;
          expect([nameOf(p), name, selected.some((w) => podPorts(w).has(name as string))]).toEqual([nameOf(p), name, true]);
        }
      }
    }
  });

  it('grants Kubernetes API access to k8s-sync only, in its namespace, without wildcards, Secrets or Pods', () => {
    expect(ofKind(objects, 'ClusterRole')).toEqual([]);
    expect(ofKind(objects, 'ClusterRoleBinding')).toEqual([]);
    expect(ofKind(objects, 'Role').map(nameOf)).toEqual(['wasmbed-k8s-sync']);
    const binding = find(objects, 'RoleBinding', 'wasmbed-k8s-sync');
    expect(binding.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'wasmbed-k8s-sync' });
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: 'wasmbed-k8s-sync', namespace: NAMESPACE }]);
    expect(ofKind(objects, 'RoleBinding')).toHaveLength(1);
    const rules = arrayAt(find(objects, 'Role', 'wasmbed-k8s-sync'), 'rules');
    const everything = rules.flatMap((r) => [...arrayAt(r, 'apiGroups'), ...arrayAt(r, 'resources'), ...arrayAt(r, 'verbs')]);
    expect(everything).not.toContain('*');
    const resources = rules.flatMap((r) => arrayAt(r, 'resources'));
    for (const forbidden of ['secrets', 'pods', 'configmaps', 'serviceaccounts', 'roles', 'rolebindings']) expect(resources).not.toContain(forbidden);
    const verbs = rules.flatMap((r) => arrayAt(r, 'verbs'));
    for (const forbidden of ['deletecollection', 'escalate', 'bind', 'impersonate']) expect(verbs).not.toContain(forbidden);
  });

  it('mentions no private key nor host path anywhere', () => {
    const offending = objects.flatMap((o) =>
      [...walk(o)]
        .filter(({ path, value }) => path.at(-1) === 'hostPath' || (typeof value === 'string' && /BEGIN [A-Z ]*PRIVATE KEY/.test(value)))
        .map(({ path }) => `${kindOf(o)}/${nameOf(o)} ${path.join('.')}`),
    );
    expect(offending).toEqual([]);
  });
});

describe('base', () => {
  const { objects } = renderings.base;
  const workloads = workloadsOf(objects);

  it('runs three NATS servers with a JetStream volume each, spread over nodes, with a disruption budget of one', () => {
    const nats = find(objects, 'StatefulSet', 'wasmbed-nats');
    expect(objectAt(nats, 'spec').replicas).toBe(3);
    expect(objectAt(find(objects, 'PodDisruptionBudget', 'wasmbed-nats'), 'spec').maxUnavailable).toBe(1);
    const claim = arrayAt(objectAt(nats, 'spec'), 'volumeClaimTemplates')[0];
    expect(stringAt(objectAt(objectAt(objectAt(claim, 'spec'), 'resources'), 'requests'), 'storage')).toBe('10Gi');
    expect(JSON.stringify(objectAt(objectAt(objectAt(nats, 'spec'), 'template'), 'spec').affinity)).toContain('kubernetes.io/hostname');
  });

  it('includes the CRDs of infra/crds, and k8s-sync’s Role covers exactly their resources', () => {
    const crds = ofKind(objects, 'CustomResourceDefinition').map((crd) => objectAt(crd, 'spec'));
    expect(crds.map((spec) => stringAt(spec, 'group'))).toEqual(crds.map(() => 'wasmbed.github.io'));
    const plurals = crds.map((spec) => stringAt(objectAt(spec, 'names'), 'plural') as string).sort();
    expect(plurals).toEqual(['applications', 'devices', 'gateways']);
    const rules = arrayAt(find(objects, 'Role', 'wasmbed-k8s-sync'), 'rules').filter((r) => arrayAt(r, 'apiGroups').includes('wasmbed.github.io'));
    const resources = [...new Set(rules.flatMap((r) => arrayAt(r, 'resources')))].sort();
    expect(resources).toEqual(plurals.flatMap((p) => [p, `${p}/finalizers`, `${p}/status`]).sort());
  });

  it('tags each service image with its package version', () => {
    for (const w of workloads.filter(service)) {
      const version = (JSON.parse(readFileSync(join(REPO_ROOT, 'services', w.component, 'package.json'), 'utf8')) as { version: string }).version;
      expect(stringAt(w.containers[0], 'image')).toBe(`ghcr.io/wasmbed/${w.component}:${version}`);
      expect(stringAt(w.containers[0], 'imagePullPolicy')).toBeUndefined();
    }
  });

  it('exposes the gateway TLS port through a LoadBalancer that keeps device addresses, and the seeds’ ports', () => {
    const tls = objectAt(find(objects, 'Service', 'wasmbed-gateway'), 'spec');
    expect([tls.type, tls.externalTrafficPolicy]).toEqual(['LoadBalancer', 'Local']);
    const ports = Object.fromEntries(
      ofKind(objects, 'Service').flatMap((s) => arrayAt(objectAt(s, 'spec'), 'ports').map((p) => [`${nameOf(s)}/${stringAt(p, 'name')}`, isObject(p) ? p.port : undefined])),
    );
    expect(ports).toEqual({
      'wasmbed-nats/client': 4222,
      'wasmbed-nats-headless/client': 4222,
      'wasmbed-nats-headless/cluster': 6222,
      'wasmbed-nats-headless/monitor': 8222,
      'wasmbed-api/grpc': 50051,
      'wasmbed-api/http': 3001,
      'wasmbed-gateway/tls': 4423,
      'wasmbed-gateway-http/http': 8080,
      'wasmbed-app-controller/http': 8091,
      'wasmbed-device-controller/http': 8092,
      'wasmbed-k8s-sync/http': 8093,
    });
  });

  it('names each gateway after its pod, which a StatefulSet keeps stable', () => {
    const gateway = workloads.find((w) => w.name === 'wasmbed-gateway') as Workload;
    expect(gateway.kind).toBe('StatefulSet');
    const id = envOf(gateway.containers[0] as JsonObject).find((e) => e.name === 'WASMBED_GATEWAY_ID');
    expect(objectAt(objectAt(id, 'valueFrom'), 'fieldRef')).toEqual({ fieldPath: 'metadata.name' });
  });
});

describe('dev overlay', () => {
  const base = workloadsOf(renderings.base.objects);
  const { objects } = renderings.dev;
  const workloads = workloadsOf(objects);

  it('runs one of everything, NATS without a cluster and R1 streams', () => {
    for (const w of workloads) expect([w.name, objectAt(w.object, 'spec').replicas]).toEqual([w.name, 1]);
    expect(configMapValue(objects, 'wasmbed-config', 'jetstream-replicas')).toBe('1');
  });

  it('uses the local wasmbed/<service>:dev images without pulling, NATS from its registry', () => {
    for (const w of workloads) {
      const c = w.containers[0] as JsonObject;
      if (service(w)) expect([stringAt(c, 'image'), stringAt(c, 'imagePullPolicy')]).toEqual([`wasmbed/${w.component}:dev`, 'Never']);
      else expect(stringAt(c, 'imagePullPolicy')).toBeUndefined();
    }
  });

  it('requests less than the base for every container', () => {
    for (const w of workloads) {
      const before = base.find((b) => b.name === w.name) as Workload;
      for (const [i, c] of w.containers.entries()) {
        for (const resource of ['cpu', 'memory']) {
          const dev = objectAt(objectAt(c, 'resources'), 'requests')[resource] as string;
          const prod = objectAt(objectAt(before.containers[i], 'resources'), 'requests')[resource] as string;
          expect([w.name, resource, quantity(dev) < quantity(prod)]).toEqual([w.name, resource, true]);
        }
      }
    }
  });

  it('puts the gateway TLS port on NodePort 30423, the endpoint devices are told', () => {
    const spec = objectAt(find(objects, 'Service', 'wasmbed-gateway'), 'spec');
    expect(spec.type).toBe('NodePort');
    expect(arrayAt(spec, 'ports')).toEqual([{ name: 'tls', port: 4423, targetPort: 'tls', protocol: 'TCP', nodePort: 30423 }]);
    expect(configMapValue(objects, 'wasmbed-config', 'gateway-endpoint')).toBe('localhost:30423');
  });
});

describe('kustomizations', () => {
  /** Every YAML file below dir, relative to it. */
  function yamlFiles(dir: string, prefix = ''): string[] {
    return readdirSync(join(dir, prefix), { withFileTypes: true }).flatMap((entry) => {
      const rel = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
      if (entry.isDirectory()) return yamlFiles(dir, rel);
      return entry.name.endsWith('.yaml') && entry.name !== 'kustomization.yaml' ? [rel] : [];
    });
  }

  it.each([
    ['base', BASE_DIR],
    ['dev', DEV_DIR],
  ])('%s uses every YAML file it holds (none lies there unused)', (_name, dir) => {
    const text = readFileSync(join(dir, 'kustomization.yaml'), 'utf8');
    const listed = [...text.matchAll(/^\s*(?:- |- path: |path: )([a-z0-9./-]+\.yaml)\s*$/gm)].map((m) => m[1]);
    expect(yamlFiles(dir).filter((f) => !listed.includes(f))).toEqual([]);
  });
});
