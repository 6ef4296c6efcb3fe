import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { get as httpGet } from 'node:http';
import { get as httpsGet } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '@wasmbed/errors';
import { createClient, hashToken, type TlsOptions } from '@wasmbed/grpc-kit';
import { createCertificateAuthority, ensureDevPki, generateEd25519KeyPair, issueDeviceCertificate, issueServerCertificate, type DevPki } from '@wasmbed/pki';
import { DeviceServiceClient, type ListDevicesResponse } from '@wasmbed/proto';
import { startNatsServer, type NatsTestServer } from '@wasmbed/testing';
import { startApi, type RunningApi } from './app';
import { loadApiConfig } from './config';
import { createLogger } from './logger';
import { call, failure } from './test-support/grpc-clients';

// The api with WASMBED_API_TLS_*: gRPC over TLS, HTTPS, and the checks of the files at configuration time.

jest.setTimeout(60_000);

const VIEWER_TOKEN = 'tls-it-viewer-token';
const TOKENS = JSON.stringify([{ subject: 'viewer-it', role: 'viewer', tokenSha256: hashToken(VIEWER_TOKEN) }]);

let dir: string;
let pki: DevPki;
let nats: NatsTestServer;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wasmbed-api-tls-'));
  pki = await ensureDevPki(join(dir, 'pki'), { gatewayHosts: ['localhost', '127.0.0.1'] });
  nats = await startNatsServer();
});

afterAll(async () => {
  await nats?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

function env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { WASMBED_NATS_URL: nats.url, WASMBED_API_GRPC_ADDR: '127.0.0.1:0', WASMBED_API_HTTP_ADDR: '127.0.0.1:0', WASMBED_API_TOKENS: TOKENS, ...extra };
}

function listDevices(port: number, options: { token?: string; tls?: TlsOptions }): Promise<ListDevicesResponse> {
  const client = createClient(DeviceServiceClient, `localhost:${port}`, options);
  return call<ListDevicesResponse>((done) => client.listDevices({ pageSize: 0, pageToken: '', labelSelector: '', phase: 0, gateway: '' }, done)).finally(() => client.close());
}

/** Status of GET url over HTTPS trusting `ca`, or the error of the attempt. */
function httpsStatus(url: string, ca: Buffer, token?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    httpsGet(url, { ca, headers: token === undefined ? {} : { authorization: `Bearer ${token}` } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    }).on('error', reject);
  });
}

function configIssues(extra: Record<string, string>): string[] {
  try {
    loadApiConfig(env(extra));
  } catch (err) {
    if (err instanceof ConfigError) return [...err.issues];
    throw err;
  }
  return [];
}

describe('the api over TLS', () => {
  let api: RunningApi;
  let caPem: Buffer;

  beforeAll(async () => {
    caPem = Buffer.from(pki.ca.certPem);
    const config = loadApiConfig(env({ WASMBED_API_TLS_CERT: pki.files.serverCert, WASMBED_API_TLS_KEY: pki.files.serverKey }));
    api = await startApi(config, { logger: createLogger('error', () => undefined) });
  });
  afterAll(() => api?.stop());

  it('answers gRPC to a client that trusts its CA, and still wants the token', async () => {
    expect(await listDevices(api.grpcPort, { token: VIEWER_TOKEN, tls: { rootCerts: caPem } })).toMatchObject({ devices: [] });
    expect((await failure(listDevices(api.grpcPort, { tls: { rootCerts: caPem } }))).codeName).toBe('UNAUTHENTICATED');
  });

  it('fails the handshake of a client without the CA, and of a plaintext client', async () => {
    const untrusted = await failure(listDevices(api.grpcPort, { token: VIEWER_TOKEN, tls: {} }));
    expect([untrusted.codeName, untrusted.details]).toEqual(['UNAVAILABLE', expect.stringMatching(/unable to verify the first certificate/)]);
    expect((await failure(listDevices(api.grpcPort, { token: VIEWER_TOKEN }))).codeName).toBe('UNAVAILABLE');
  });

  it('serves HTTPS with the same certificate, and no plain HTTP', async () => {
    const base = `https://localhost:${api.httpPort}`;
    expect(await httpsStatus(`${base}/readyz`, caPem)).toBe(200);
    expect(await httpsStatus(`${base}/api/v1/devices`, caPem)).toBe(401);
    expect(await httpsStatus(`${base}/api/v1/devices`, caPem, VIEWER_TOKEN)).toBe(200);
    await expect(httpsStatus(`${base}/readyz`, Buffer.from((await createCertificateAuthority({ commonName: 'other', validityDays: 1 })).certPem))).rejects.toThrow(
      /unable to verify the first certificate/,
    );
    const plain = await new Promise<unknown>((resolve) => {
      httpGet(`http://localhost:${api.httpPort}/readyz`, (res) => resolve(res.statusCode)).on('error', (err) => resolve(err.message));
    });
    expect(plain).toBe('socket hang up');
  });
});

describe('the api with a client CA', () => {
  let api: RunningApi;
  let caPem: Buffer;
  let clientPair: { certChain: Buffer; privateKey: Buffer };

  beforeAll(async () => {
    caPem = Buffer.from(pki.ca.certPem);
    const key = generateEd25519KeyPair();
    const cert = await issueDeviceCertificate(pki.ca, { deviceId: 'ops-laptop', publicKey: key.publicKey, validityDays: 1 });
    clientPair = { certChain: Buffer.from(cert.certPem), privateKey: Buffer.from(key.privateKeyPem) };
    const config = loadApiConfig(
      env({ WASMBED_API_TLS_CERT: pki.files.serverCert, WASMBED_API_TLS_KEY: pki.files.serverKey, WASMBED_API_TLS_CLIENT_CA: pki.files.caCert }),
    );
    api = await startApi(config, { logger: createLogger('error', () => undefined) });
  });
  afterAll(() => api?.stop());

  it('wants a client certificate from that CA on gRPC, and the token as well', async () => {
    expect(await listDevices(api.grpcPort, { token: VIEWER_TOKEN, tls: { rootCerts: caPem, ...clientPair } })).toMatchObject({ devices: [] });
    expect((await failure(listDevices(api.grpcPort, { tls: { rootCerts: caPem, ...clientPair } }))).codeName).toBe('UNAUTHENTICATED');
    expect((await failure(listDevices(api.grpcPort, { token: VIEWER_TOKEN, tls: { rootCerts: caPem } }))).codeName).toBe('UNAVAILABLE');
  });

  it('keeps HTTPS open to clients without one (probes, browsers)', async () => {
    expect(await httpsStatus(`https://localhost:${api.httpPort}/readyz`, caPem)).toBe(200);
  });
});

describe('TLS configuration', () => {
  it('reads the certificate, key and client CA', () => {
    const config = loadApiConfig(
      env({ WASMBED_API_TLS_CERT: pki.files.serverCert, WASMBED_API_TLS_KEY: pki.files.serverKey, WASMBED_API_TLS_CLIENT_CA: pki.files.caCert }),
    );
    expect(config.tls?.certChain.toString()).toBe(pki.server.certPem);
    expect(config.tls?.privateKey.toString()).toBe(pki.server.keyPem);
    expect(config.tls?.clientCa?.toString()).toContain('-----BEGIN CERTIFICATE-----');
    expect(loadApiConfig(env()).tls).toBeUndefined();
  });

  it('wants certificate and key together, and both for a client CA', () => {
    expect(configIssues({ WASMBED_API_TLS_CERT: pki.files.serverCert })).toEqual([
      'WASMBED_API_TLS_KEY must be set too: WASMBED_API_TLS_CERT and WASMBED_API_TLS_KEY go together',
    ]);
    expect(configIssues({ WASMBED_API_TLS_KEY: pki.files.serverKey })).toEqual([
      'WASMBED_API_TLS_CERT must be set too: WASMBED_API_TLS_CERT and WASMBED_API_TLS_KEY go together',
    ]);
    expect(configIssues({ WASMBED_API_TLS_CLIENT_CA: pki.files.caCert })).toEqual([
      'WASMBED_API_TLS_CLIENT_CA needs WASMBED_API_TLS_CERT and WASMBED_API_TLS_KEY: client certificates are checked over TLS only',
    ]);
  });

  it('names the variable whose file cannot be read or holds no PEM of its kind', async () => {
    const missing = join(dir, 'missing.crt');
    expect(configIssues({ WASMBED_API_TLS_CERT: missing, WASMBED_API_TLS_KEY: pki.files.serverKey })).toEqual([
      `WASMBED_API_TLS_CERT cannot be read: ENOENT: no such file or directory, open '${missing}'`,
    ]);
    expect(configIssues({ WASMBED_API_TLS_CERT: pki.files.serverKey, WASMBED_API_TLS_KEY: pki.files.serverCert })).toEqual([
      `WASMBED_API_TLS_CERT ${pki.files.serverKey}: no PEM certificate in it (expected -----BEGIN CERTIFICATE-----)`,
      `WASMBED_API_TLS_KEY ${pki.files.serverCert}: no PEM private key in it (expected -----BEGIN PRIVATE KEY-----)`,
    ]);
    const garbage = join(dir, 'garbage.pem');
    await writeFile(garbage, 'garbage');
    expect(configIssues({ WASMBED_API_TLS_CERT: pki.files.serverCert, WASMBED_API_TLS_KEY: pki.files.serverKey, WASMBED_API_TLS_CLIENT_CA: garbage })).toEqual([
      `WASMBED_API_TLS_CLIENT_CA ${garbage}: no PEM certificate in it (expected -----BEGIN CERTIFICATE-----)`,
    ]);
  });

  it('refuses a key that does not belong to the certificate', async () => {
    const other = await issueServerCertificate(pki.ca, { commonName: 'other', dnsNames: ['other.localhost'], validityDays: 1 });
    const otherKey = join(dir, 'other.key');
    await writeFile(otherKey, other.keyPem!);
    expect(configIssues({ WASMBED_API_TLS_CERT: pki.files.serverCert, WASMBED_API_TLS_KEY: otherKey })).toEqual([
      `WASMBED_API_TLS_KEY ${otherKey}: the private key does not belong to the first certificate of ${pki.files.serverCert}`,
    ]);
  });
});

describe('plaintext on a non-loopback address', () => {
  it('is logged as a warning, once per listener; with TLS there is none', async () => {
    const lines: string[] = [];
    const logger = createLogger('warn', (line) => void lines.push(line));
    const plain = await startApi(loadApiConfig(env({ WASMBED_API_GRPC_ADDR: '0.0.0.0:0', WASMBED_API_HTTP_ADDR: '0.0.0.0:0' })), { logger });
    await plain.stop();
    const warnings = lines.map((line) => JSON.parse(line) as { level: string; msg: string; host?: string }).filter((entry) => /without TLS/.test(entry.msg));
    expect(warnings.map((w) => [w.level, w.msg.split(' ')[0], w.host])).toEqual([
      ['warn', 'gRPC', '0.0.0.0'],
      ['warn', 'HTTP', '0.0.0.0'],
    ]);
    expect(warnings[0]?.msg).toContain('set WASMBED_API_TLS_CERT and WASMBED_API_TLS_KEY');

    lines.length = 0;
    const tls = await startApi(
      loadApiConfig(env({ WASMBED_API_GRPC_ADDR: '0.0.0.0:0', WASMBED_API_HTTP_ADDR: '0.0.0.0:0', WASMBED_API_TLS_CERT: pki.files.serverCert, WASMBED_API_TLS_KEY: pki.files.serverKey })),
      { logger },
    );
    await tls.stop();
    expect(lines.filter((line) => line.includes('without TLS'))).toEqual([]);
  });
});
