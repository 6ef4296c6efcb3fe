import { credentials, type ChannelCredentials } from '@grpc/grpc-js';
import { ConfigError } from '@wasmbed/errors';
import { createCertificateAuthority, issueServerCertificate } from '@wasmbed/pki';
import { createClient, isLoopbackAddress, type ClientConstructor } from './index';

describe('isLoopbackAddress', () => {
  it.each([
    ['127.0.0.1:50051', true],
    ['127.1.2.3:1', true],
    ['localhost:50051', true],
    ['[::1]:50051', true],
    ['dns:///localhost:50051', true],
    ['ipv4:127.0.0.1:50051', true],
    ['unix:/run/wasmbed.sock', true],
    ['10.0.0.5:50051', false],
    ['api.wasmbed.example:443', false],
    ['localhost.evil.example:443', false],
    ['[2001:db8::1]:50051', false],
    ['128.0.0.1:50051', false],
  ])('%s -> %s', (address, expected) => {
    expect(isLoopbackAddress(address)).toBe(expected);
  });
});

/** Records what createClient hands a generated client; opens no channel. */
class Recorder {
  constructor(
    readonly address: string,
    readonly channel: ChannelCredentials,
  ) {}
}
const Client = Recorder as unknown as ClientConstructor<Recorder>;

describe('createClient', () => {
  let caPem: Buffer;
  let clientPair: { certChain: Buffer; privateKey: Buffer };
  let otherKey: Buffer;

  beforeAll(async () => {
    const ca = await createCertificateAuthority({ commonName: 'client test CA', validityDays: 1 });
    const issue = (host: string) => issueServerCertificate(ca, { commonName: host, dnsNames: [host], validityDays: 1 });
    const [mine, other] = [await issue('client.localhost'), await issue('other.localhost')];
    caPem = Buffer.from(ca.certPem);
    clientPair = { certChain: Buffer.from(mine.certPem), privateKey: Buffer.from(mine.keyPem!) };
    otherKey = Buffer.from(other.keyPem!);
  });

  it('refuses to send a token in plaintext beyond loopback, saying how to fix it', () => {
    expect(() => createClient(Client, 'api.wasmbed.example:443', { token: 't' })).toThrow(
      /^refusing to send a bearer token in plaintext to api\.wasmbed\.example:443: use TLS/,
    );
    expect(() => createClient(Client, 'api.wasmbed.example:443', { token: 't', credentials: credentials.createInsecure() })).toThrow(ConfigError);
  });

  it('sends a token over TLS to any host, with a CA bundle or the system roots', () => {
    expect(createClient(Client, 'api.wasmbed.example:443', { token: 't', tls: { rootCerts: caPem } }).channel._isSecure()).toBe(true);
    expect(createClient(Client, 'api.wasmbed.example:443', { token: 't', tls: {} }).channel._isSecure()).toBe(true);
    const given = credentials.createSsl(caPem);
    expect(createClient(Client, '10.0.0.5:50051', { token: 't', credentials: given }).channel._isSecure()).toBe(true);
  });

  it('keeps plaintext, without a token or to loopback', () => {
    expect(createClient(Client, 'api.wasmbed.example:443').channel._isSecure()).toBe(false);
    expect(createClient(Client, '127.0.0.1:50051', { token: 't' }).channel._isSecure()).toBe(false);
  });

  it('refuses TLS material that cannot work, naming the option', () => {
    const attempt = (options: Parameters<typeof createClient>[2]) => () => createClient(Client, 'localhost:1', options);
    expect(attempt({ tls: { rootCerts: Buffer.from('not a CA') } })).toThrow(/^tls\.rootCerts: no PEM certificate in it/);
    expect(attempt({ tls: { rootCerts: caPem, privateKey: clientPair.privateKey } })).toThrow(/^tls\.privateKey and tls\.certChain go together/);
    expect(attempt({ tls: { certChain: clientPair.certChain } })).toThrow(/^tls\.privateKey and tls\.certChain go together/);
    expect(attempt({ tls: { ...clientPair, privateKey: otherKey } })).toThrow(/^tls\.privateKey: the private key does not belong to the first certificate of tls\.certChain$/);
    expect(attempt({ tls: {}, credentials: credentials.createSsl() })).toThrow(/give tls or credentials, not both/);
    expect(createClient(Client, 'localhost:1', { tls: { rootCerts: caPem, ...clientPair } }).channel._isSecure()).toBe(true);
  });
});
