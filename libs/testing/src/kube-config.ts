import { randomBytes } from 'node:crypto';
import { ValidationError } from '@wasmbed/errors';

/** A user kube-apiserver authenticates by a static bearer token (--token-auth-file). */
export interface KubeUser {
  /** e.g. `alice` or `system:serviceaccount:wasmbed:wasmbed-k8s-sync`. */
  readonly name: string;
  /** e.g. `['system:serviceaccounts', 'system:serviceaccounts:wasmbed', 'system:authenticated']`. */
  readonly groups?: readonly string[];
}

export interface KubeTokenUser extends KubeUser {
  readonly token: string;
}

/** The administrator every harness has: group system:masters passes every RBAC check. */
export const KUBE_ADMIN_USER: KubeUser = { name: 'wasmbed-test-admin', groups: ['system:masters'] };

// The token file is CSV with a quoted group list; these characters would break a line.
const UNSAFE = /[",\n\r]/;

export function withTokens(users: readonly KubeUser[]): KubeTokenUser[] {
  const seen = new Set<string>();
  return users.map((user) => {
    const names = [user.name, ...(user.groups ?? [])];
    if (user.name === '' || names.some((n) => UNSAFE.test(n))) {
      throw new ValidationError(`kube user ${JSON.stringify(user.name)}: names and groups must be non-empty and free of quotes, commas and newlines`);
    }
    if (seen.has(user.name)) throw new ValidationError(`kube user ${JSON.stringify(user.name)} is declared twice`);
    seen.add(user.name);
    return { ...user, token: randomBytes(24).toString('hex') };
  });
}

/** `token,user,uid,"group1,group2"` lines, as --token-auth-file reads them. */
export function tokenFileText(users: readonly KubeTokenUser[]): string {
  return users.map((u) => `${u.token},${u.name},${u.name},"${(u.groups ?? []).join(',')}"\n`).join('');
}

/** A kubeconfig (JSON is valid YAML) with one cluster, one token user and a default namespace. */
export function kubeconfigText(options: { server: string; caPem: string; user: string; token: string; namespace?: string }): string {
  const context = { cluster: 'wasmbed-test', user: options.user, ...(options.namespace ? { namespace: options.namespace } : {}) };
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'wasmbed-test', cluster: { server: options.server, 'certificate-authority-data': Buffer.from(options.caPem).toString('base64') } }],
    users: [{ name: options.user, user: { token: options.token } }],
    contexts: [{ name: 'wasmbed-test', context }],
    'current-context': 'wasmbed-test',
  };
  return `${JSON.stringify(config, null, 2)}\n`;
}
