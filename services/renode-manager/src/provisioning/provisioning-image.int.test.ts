// The TypeScript port against the firmware's own tool: same inputs, same 4096 bytes.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { createCertificateAuthority, ed25519KeyPairFromSeed, issueDeviceCertificate } from '@wasmbed/pki';
import { buildProvisioningImage } from './provisioning-image';

const run = promisify(execFile);
const PROVISION_TOOL = resolve(__dirname, '..', '..', '..', '..', 'firmware', 'tools', 'provision.mjs');

let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'renode-manager-prov-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

const seed = (label: string) => createHash('sha256').update(label).digest();

async function viaTool(name: string, args: string[]): Promise<Buffer> {
  const out = join(work, `${name}.bin`);
  const { stdout } = await run(process.execPath, [PROVISION_TOOL, '--out', out, ...args]);
  expect(JSON.parse(stdout)).toMatchObject({ bytes: 4096 });
  return readFile(out);
}

describe('provisioning image vs firmware/tools/provision.mjs', () => {
  it('matches byte for byte with a CA-issued certificate, a two-CA trust block and two publisher keys', async () => {
    const ca = await createCertificateAuthority({ commonName: 'Prov Test CA', validityDays: 2 });
    const other = await createCertificateAuthority({ commonName: 'Prov Test CA 2', validityDays: 2 });
    const keySeed = seed('key');
    const rngSeed = seed('rng');
    const publishers = [ed25519KeyPairFromSeed(seed('publisher-1')).publicKey, ed25519KeyPairFromSeed(seed('publisher-2')).publicKey].map((k) => Buffer.from(k));
    const cert = await issueDeviceCertificate(ca, { deviceId: 'emu-prov', publicKey: ed25519KeyPairFromSeed(keySeed).publicKey, validityDays: 1 });
    const files = { cert: join(work, 'cert.der'), ca1: join(work, 'ca1.der'), ca2: join(work, 'ca2.der') };
    await writeFile(files.cert, cert.certDer);
    await writeFile(files.ca1, ca.certDer);
    await writeFile(files.ca2, other.certDer);

    const expected = await viaTool('full', [
      '--endpoint', 'gw-1.wasmbed.test:4423',
      '--key-seed', keySeed.toString('hex'),
      '--rng-seed', rngSeed.toString('hex'),
      '--cert-der', files.cert,
      '--ca-der', files.ca1,
      '--ca-der', files.ca2,
      '--publisher-key', publishers[0].toString('hex'),
      '--publisher-key', publishers[1].toString('hex'),
    ]);
    const ours = buildProvisioningImage({
      endpoint: 'gw-1.wasmbed.test:4423',
      keySeed,
      rngSeed,
      certificateDer: cert.certDer,
      trustedCaDers: [ca.certDer, other.certDer],
      publisherKeys: publishers,
    });
    expect(ours.equals(expected)).toBe(true);
  });

  it('matches byte for byte without certificate and trust block (an IPv6 endpoint)', async () => {
    const keySeed = seed('key-2');
    const rngSeed = seed('rng-2');
    const expected = await viaTool('bare', ['--endpoint', '[::1]:65535', '--key-seed', keySeed.toString('hex'), '--rng-seed', rngSeed.toString('hex')]);
    expect(buildProvisioningImage({ endpoint: '[::1]:65535', keySeed, rngSeed }).equals(expected)).toBe(true);
  });
});
