import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Http2Server } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureDevPki, type DevPki } from '@wasmbed/pki';
import { withNats } from '@wasmbed/testing';
import { runCliProcess, startApiProcess, type ApiProcess, type CliResult, type TestToken } from './test-support/processes';

jest.setTimeout(120_000);

const admin: TestToken = { subject: 'cli-tls-admin', role: 'admin', token: randomBytes(24).toString('base64url') };

describe('wasmbed CLI against an api that serves TLS', () => {
  const nats = withNats();
  let dir: string;
  let pki: DevPki;
  let api: ApiProcess;
  let port: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wasmbed-cli-tls-'));
    pki = await ensureDevPki(join(dir, 'pki'), { gatewayHosts: ['localhost', '127.0.0.1'] });
    api = await startApiProcess(nats().url, [admin], {
      env: { WASMBED_API_TLS_CERT: pki.files.serverCert, WASMBED_API_TLS_KEY: pki.files.serverKey },
      ca: Buffer.from(pki.ca.certPem),
    });
    port = api.grpcAddress.split(':')[1]!;
  }, 60_000);

  afterAll(async () => {
    await api?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const wasmbed = (args: string[], env: Record<string, string> = {}): Promise<CliResult> =>
    runCliProcess(args, { env: { WASMBED_TOKEN: admin.token, ...env }, cwd: dir });
  /** Exit 0, nothing on stderr, and the JSON on stdout. */
  const succeeded = (result: CliResult): unknown => {
    expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: '' });
    return JSON.parse(result.stdout);
  };

  it('calls the api over TLS with --ca, by IP address (no Node warning on stderr) or by name', async () => {
    const byIp = await wasmbed(['--api', api.grpcAddress, '--ca', pki.files.caCert, 'device', 'list', '--json']);
    expect(succeeded(byIp)).toEqual({ devices: [] });
    const byName = await wasmbed(['--api', `localhost:${port}`, '--ca', pki.files.caCert, 'gateway', 'list', '--json']);
    expect(succeeded(byName)).toEqual({ gateways: [] });
  });

  it('takes the CA from WASMBED_API_CA', async () => {
    const result = await wasmbed(['--api', api.grpcAddress, 'device', 'list', '--json'], { WASMBED_API_CA: pki.files.caCert });
    expect(succeeded(result)).toEqual({ devices: [] });
  });

  it('still needs a token over TLS', async () => {
    const result = await runCliProcess(['--api', api.grpcAddress, '--ca', pki.files.caCert, 'device', 'list'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^wasmbed: token missing or not accepted by the api at 127\.0\.0\.1:\d+ \(set WASMBED_TOKEN or --token-file\)\n$/);
  });

  it('says what to pass when it does not trust the certificate, or speaks plaintext to it', async () => {
    const systemRoots = await wasmbed(['--api', api.grpcAddress, '--tls', 'device', 'list']);
    expect(systemRoots).toEqual({
      code: 1,
      stdout: '',
      stderr: `wasmbed: the api at ${api.grpcAddress} presented a TLS certificate this CLI does not trust (unable to verify the first certificate): pass --ca FILE with the CA that issued it (or set WASMBED_API_CA)\n`,
    });
    const plaintext = await wasmbed(['--api', api.grpcAddress, 'device', 'list', '--timeout', '5s']);
    expect(plaintext.code).toBe(1);
    expect(plaintext.stderr).toMatch(/^wasmbed: cannot reach the api at 127\.0\.0\.1:\d+ .*; if it serves TLS, pass --ca FILE or --tls\)\n$/);
  });

  it('names an unreadable or wrong CA file before calling', async () => {
    const missing = join(dir, 'missing.crt');
    const unreadable = await wasmbed(['--api', api.grpcAddress, '--ca', missing, 'device', 'list']);
    expect(unreadable.code).toBe(1);
    expect(unreadable.stderr).toBe(`wasmbed: cannot read the CA file ${missing} (--ca): ENOENT: no such file or directory, open '${missing}'\n`);
    const notPem = await wasmbed(['--api', api.grpcAddress, 'device', 'list'], { WASMBED_API_CA: pki.files.serverKey });
    expect(notPem).toEqual({
      code: 1,
      stdout: '',
      stderr: `wasmbed: WASMBED_API_CA ${pki.files.serverKey}: no PEM certificate in it (expected -----BEGIN CERTIFICATE-----)\n`,
    });
  });

  it('says so when the api speaks no TLS', async () => {
    const plain: Http2Server = createServer();
    await new Promise<void>((listening) => plain.listen(0, '127.0.0.1', listening));
    try {
      const address = `127.0.0.1:${(plain.address() as AddressInfo).port}`;
      const result = await wasmbed(['--api', address, '--ca', pki.files.caCert, 'device', 'list']);
      expect(result).toEqual({ code: 1, stdout: '', stderr: `wasmbed: the api at ${address} does not speak TLS: drop --ca and --tls (and WASMBED_API_CA)\n` });
    } finally {
      await new Promise((closed) => plain.close(closed));
    }
  });

  it('sends a client certificate with --client-cert and --client-key', async () => {
    // The api above asks for none: a pair that belongs together is accepted, one that does not is refused before calling.
    const ok = await wasmbed(['--api', api.grpcAddress, '--ca', pki.files.caCert, '--client-cert', pki.files.serverCert, '--client-key', pki.files.serverKey, 'device', 'list', '--json']);
    expect(succeeded(ok)).toEqual({ devices: [] });
    const strayKey = join(dir, 'stray.key');
    await writeFile(strayKey, (await ensureDevPki(join(dir, 'other-pki'), { gatewayHosts: ['localhost'] })).server.keyPem);
    const mismatch = await wasmbed(['--api', api.grpcAddress, '--ca', pki.files.caCert, '--client-cert', pki.files.serverCert, '--client-key', strayKey, 'device', 'list']);
    expect(mismatch.code).toBe(1);
    expect(mismatch.stderr).toBe(
      `wasmbed: --client-key ${strayKey}: the private key does not belong to the first certificate of --client-cert ${pki.files.serverCert}\n`,
    );
  });
});
