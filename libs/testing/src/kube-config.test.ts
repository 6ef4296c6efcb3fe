import { ValidationError } from '@wasmbed/errors';
import { KUBE_ADMIN_USER, kubeconfigText, tokenFileText, withTokens } from './kube-config';

describe('withTokens', () => {
  it('gives every user a distinct random token', () => {
    const users = withTokens([KUBE_ADMIN_USER, { name: 'alice' }]);
    expect(users.map((u) => u.name)).toEqual(['wasmbed-test-admin', 'alice']);
    expect(users[0].token).toMatch(/^[0-9a-f]{48}$/);
    expect(users[0].token).not.toBe(users[1].token);
  });

  it.each([
    [{ name: '' }],
    [{ name: 'a,b' }],
    [{ name: 'alice', groups: ['ok', 'bad"quote'] }],
    [{ name: 'line\nbreak' }],
  ])('rejects names the token file cannot hold: %j', (user) => {
    expect(() => withTokens([user])).toThrow(ValidationError);
  });

  it('rejects a user declared twice', () => {
    expect(() => withTokens([{ name: 'alice' }, { name: 'alice', groups: ['x'] }])).toThrow(/declared twice/);
  });
});

describe('tokenFileText', () => {
  it('writes token,user,uid,"groups" lines', () => {
    const text = tokenFileText([
      { name: 'system:serviceaccount:wasmbed:sync', groups: ['system:serviceaccounts', 'system:authenticated'], token: 't1' },
      { name: 'bob', token: 't2' },
    ]);
    expect(text).toBe(
      't1,system:serviceaccount:wasmbed:sync,system:serviceaccount:wasmbed:sync,"system:serviceaccounts,system:authenticated"\n' +
        't2,bob,bob,""\n',
    );
  });
});

describe('kubeconfigText', () => {
  it('embeds the CA and the token in a single-context config', () => {
    const config = JSON.parse(
      kubeconfigText({ server: 'https://127.0.0.1:6443', caPem: 'PEM', user: 'alice', token: 'tok', namespace: 'wasmbed' }),
    ) as {
      clusters: { cluster: { server: string; 'certificate-authority-data': string } }[];
      users: { name: string; user: { token: string } }[];
      contexts: { context: { namespace?: string; user: string } }[];
      'current-context': string;
    };
    expect(config.clusters[0].cluster.server).toBe('https://127.0.0.1:6443');
    expect(Buffer.from(config.clusters[0].cluster['certificate-authority-data'], 'base64').toString()).toBe('PEM');
    expect(config.users).toEqual([{ name: 'alice', user: { token: 'tok' } }]);
    expect(config.contexts[0].context).toEqual({ cluster: 'wasmbed-test', user: 'alice', namespace: 'wasmbed' });
    expect(config['current-context']).toBe('wasmbed-test');
  });

  it('leaves the namespace out unless given', () => {
    const config = JSON.parse(kubeconfigText({ server: 's', caPem: 'c', user: 'u', token: 't' })) as { contexts: { context: object }[] };
    expect(config.contexts[0].context).not.toHaveProperty('namespace');
  });
});
