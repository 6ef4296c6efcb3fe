import { ConfigError } from '@wasmbed/errors';
import { createCertificateAuthority, issueServerCertificate, type ServerCertificate } from '@wasmbed/pki';
import { checkTlsKeyPair, parsePemCertificates, parsePemPrivateKey, serverTlsCredentials } from './index';

let ca: { certPem: string };
let server: ServerCertificate & { keyPem: string };
let other: ServerCertificate & { keyPem: string };

beforeAll(async () => {
  const authority = await createCertificateAuthority({ commonName: 'grpc-kit test CA', validityDays: 1 });
  ca = authority;
  const issue = async (host: string) => (await issueServerCertificate(authority, { commonName: host, dnsNames: [host], validityDays: 1 })) as ServerCertificate & { keyPem: string };
  server = await issue('localhost');
  other = await issue('other.localhost');
});

describe('parsePemCertificates', () => {
  it('returns every certificate of a bundle', () => {
    const bundle = `${ca.certPem}\n${server.certPem}`;
    expect(parsePemCertificates(Buffer.from(bundle), 'X').map((c) => c.subject)).toEqual(['CN=grpc-kit test CA', 'CN=localhost']);
  });

  it('names the source when there is no certificate or one is broken', () => {
    expect(() => parsePemCertificates(Buffer.from('not a certificate'), 'WASMBED_X')).toThrow(
      new ConfigError('WASMBED_X: no PEM certificate in it (expected -----BEGIN CERTIFICATE-----)'),
    );
    const broken = `${ca.certPem}\n-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n`;
    expect(() => parsePemCertificates(broken, 'WASMBED_X')).toThrow(/^WASMBED_X: certificate 2 of 2 is not valid: /);
  });
});

describe('parsePemPrivateKey / checkTlsKeyPair', () => {
  it('reads a PKCS#8 key', () => {
    expect(parsePemPrivateKey(server.keyPem, 'K').asymmetricKeyType).toBe('ed25519');
  });

  it('names the source of what is no key', () => {
    expect(() => parsePemPrivateKey(server.certPem, 'WASMBED_K')).toThrow(/^WASMBED_K: no PEM private key in it/);
    expect(() => parsePemPrivateKey('-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n', 'WASMBED_K')).toThrow(
      /^WASMBED_K: the private key cannot be read: /,
    );
  });

  it('refuses a key that does not belong to the certificate', () => {
    const sources = { certChain: 'CERT_VAR', privateKey: 'KEY_VAR' };
    expect(() => checkTlsKeyPair({ certChain: Buffer.from(server.certPem), privateKey: Buffer.from(server.keyPem) }, sources)).not.toThrow();
    expect(() => checkTlsKeyPair({ certChain: Buffer.from(server.certPem), privateKey: Buffer.from(other.keyPem) }, sources)).toThrow(
      new ConfigError('KEY_VAR: the private key does not belong to the first certificate of CERT_VAR'),
    );
  });
});

describe('serverTlsCredentials', () => {
  it('builds secure credentials, with or without a client CA', () => {
    const pair = { certChain: Buffer.from(server.certPem), privateKey: Buffer.from(server.keyPem) };
    expect(serverTlsCredentials(pair)._isSecure()).toBe(true);
    expect(serverTlsCredentials({ ...pair, clientCa: Buffer.from(ca.certPem) })._isSecure()).toBe(true);
  });

  it('checks the material first', () => {
    const pair = { certChain: Buffer.from(server.certPem), privateKey: Buffer.from(other.keyPem) };
    expect(() => serverTlsCredentials(pair)).toThrow(/^privateKey: the private key does not belong/);
    const good = { certChain: Buffer.from(server.certPem), privateKey: Buffer.from(server.keyPem) };
    expect(() => serverTlsCredentials({ ...good, clientCa: Buffer.from('nope') })).toThrow(/^clientCa: no PEM certificate/);
  });
});
