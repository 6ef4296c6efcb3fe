import { Metadata } from '@grpc/grpc-js';
import { ConfigError } from '@wasmbed/errors';
import { hashToken, readBearerToken, roleSatisfies, staticTokenAuthenticator, type Role } from './index';

function withAuthorization(...values: string[]): Metadata {
  const metadata = new Metadata();
  for (const value of values) metadata.add('authorization', value);
  return metadata;
}

const authenticator = staticTokenAuthenticator([
  { tokenSha256Hex: hashToken('admin-secret'), subject: 'root', role: 'admin' },
  { tokenSha256Hex: hashToken('viewer-secret').toUpperCase(), subject: 'dashboard', role: 'viewer' },
]);

describe('staticTokenAuthenticator', () => {
  it('returns the principal of a configured token', async () => {
    expect(await authenticator.authenticate(withAuthorization('Bearer admin-secret'))).toEqual({ subject: 'root', role: 'admin' });
  });

  it('accepts upper-case hex in the configuration and any case of the scheme', async () => {
    expect(await authenticator.authenticate(withAuthorization('bearer viewer-secret'))).toEqual({ subject: 'dashboard', role: 'viewer' });
  });

  it.each([
    ['an unknown token', withAuthorization('Bearer nope')],
    ['a token differing in case', withAuthorization('Bearer ADMIN-SECRET')],
    ['no authorization entry', new Metadata()],
    ['another scheme', withAuthorization('Basic admin-secret')],
    ['a scheme without token', withAuthorization('Bearer ')],
    ['two authorization entries', withAuthorization('Bearer admin-secret', 'Bearer viewer-secret')],
  ])('rejects %s', async (_case, metadata) => {
    expect(await authenticator.authenticate(metadata)).toBeUndefined();
  });

  it('hashes tokens as lowercase SHA-256 hex', () => {
    // sha256("abc"), FIPS 180-2 test vector.
    expect(hashToken('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it.each([
    ['a hash that is not 64 hex characters', { tokenSha256Hex: 'abc', subject: 's', role: 'admin' as Role }],
    ['an empty subject', { tokenSha256Hex: hashToken('t'), subject: ' ', role: 'admin' as Role }],
    ['an unknown role', { tokenSha256Hex: hashToken('t'), subject: 's', role: 'root' as Role }],
  ])('refuses a configuration with %s', (_case, entry) => {
    expect(() => staticTokenAuthenticator([entry])).toThrow(ConfigError);
  });

  it('refuses the same token twice', () => {
    const entry = { tokenSha256Hex: hashToken('t'), subject: 's', role: 'viewer' as Role };
    expect(() => staticTokenAuthenticator([entry, { ...entry, tokenSha256Hex: entry.tokenSha256Hex.toUpperCase() }])).toThrow(ConfigError);
  });
});

describe('readBearerToken', () => {
  it('extracts the token and ignores trailing spaces', () => {
    expect(readBearerToken(withAuthorization('Bearer  abc.def-123 '))).toBe('abc.def-123');
  });
});

describe('roleSatisfies', () => {
  it.each<[Role, Role, boolean]>([
    ['admin', 'admin', true],
    ['admin', 'operator', true],
    ['admin', 'viewer', true],
    ['operator', 'admin', false],
    ['operator', 'operator', true],
    ['operator', 'viewer', true],
    ['viewer', 'admin', false],
    ['viewer', 'operator', false],
    ['viewer', 'viewer', true],
  ])('%s may act as %s: %s', (role, required, expected) => {
    expect(roleSatisfies(role, required)).toBe(expected);
  });
});
