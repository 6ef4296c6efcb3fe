import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCertificateAuthority, ed25519KeyPairFromSeed, issueDeviceCertificate } from '@wasmbed/pki';
import { DeviceIdentityError } from '../errors';
import { ScriptedGatewayPeer } from '../test-support/scripted-gateway-peer';
import { DEVICE_KEY_FILES, loadOrCreateDeviceIdentity } from './device-identity';
import { SimDevice } from './sim-device';

const seed = (n: number) => new Uint8Array(32).fill(n);

describe('device identity storage', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sim-identity-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('creates a key (0600) and a self-signed certificate on first start and reuses them after', async () => {
    const keyDir = join(dir, 'dev');
    const first = await loadOrCreateDeviceIdentity({ deviceId: 'dev', keyDir });
    expect(first.created).toEqual([join(keyDir, DEVICE_KEY_FILES.key), join(keyDir, DEVICE_KEY_FILES.cert)]);
    expect(first.selfSigned).toBe(true);
    expect((await stat(join(keyDir, DEVICE_KEY_FILES.key))).mode & 0o777).toBe(0o600);
    expect((await stat(keyDir)).mode & 0o777).toBe(0o700);
    const second = await loadOrCreateDeviceIdentity({ deviceId: 'dev', keyDir });
    expect(second.created).toEqual([]);
    expect(second.keyPair.publicKeyHex).toBe(first.keyPair.publicKeyHex);
    expect(second.certPem).toBe(first.certPem);
    // The key never shows up in logs.
    expect(JSON.stringify(second.keyPair)).not.toContain('PRIVATE KEY');
  });

  it('derives the key from a seed, and refuses a stored key that contradicts it', async () => {
    const keyDir = join(dir, 'seeded');
    const identity = await loadOrCreateDeviceIdentity({ deviceId: 'seeded', keyDir, keySeed: seed(7) });
    expect(identity.keyPair.publicKeyHex).toBe(ed25519KeyPairFromSeed(seed(7)).publicKeyHex);
    expect((await loadOrCreateDeviceIdentity({ deviceId: 'seeded', keyDir, keySeed: seed(7) })).created).toEqual([]);
    await expect(loadOrCreateDeviceIdentity({ deviceId: 'seeded', keyDir, keySeed: seed(8) })).rejects.toBeInstanceOf(DeviceIdentityError);
  });

  it('uses and stores a CA-issued certificate for its key, refuses one for another key', async () => {
    const ca = await createCertificateAuthority({ commonName: 'device CA', validityDays: 1 });
    const mine = await issueDeviceCertificate(ca, { deviceId: 'issued', publicKey: ed25519KeyPairFromSeed(seed(1)).publicKey, validityDays: 1 });
    const keyDir = join(dir, 'issued');
    const identity = await loadOrCreateDeviceIdentity({ deviceId: 'issued', keyDir, keySeed: seed(1), certificatePem: mine.certPem });
    expect(identity.selfSigned).toBe(false);
    expect(await readFile(join(keyDir, DEVICE_KEY_FILES.cert), 'utf8')).toBe(mine.certPem);
    // Later starts without the option keep presenting the stored CA-issued certificate.
    expect((await loadOrCreateDeviceIdentity({ deviceId: 'issued', keyDir })).certPem).toBe(mine.certPem);

    const theirs = await issueDeviceCertificate(ca, { deviceId: 'other', publicKey: ed25519KeyPairFromSeed(seed(2)).publicKey, validityDays: 1 });
    await expect(loadOrCreateDeviceIdentity({ deviceId: 'issued', keySeed: seed(1), certificatePem: theirs.certPem })).rejects.toThrow(/does not certify/);
  });

  it('presents the CA-issued certificate in the TLS handshake', async () => {
    const peer = await ScriptedGatewayPeer.start();
    const ca = await createCertificateAuthority({ commonName: 'device CA', validityDays: 1 });
    const cert = await issueDeviceCertificate(ca, { deviceId: 'issued-dev', publicKey: ed25519KeyPairFromSeed(seed(3)).publicKey, validityDays: 1 });
    const device = new SimDevice({ name: 'issued-dev', gateway: peer.endpoint, gatewayCa: peer.caPem, keySeed: seed(3), certificatePem: cert.certPem });
    try {
      const connection = peer.nextConnection();
      await device.start();
      const conn = await connection;
      expect(conn.identity).toMatchObject({ selfSigned: false, commonName: 'issued-dev', publicKeyHex: ed25519KeyPairFromSeed(seed(3)).publicKeyHex });
      expect(conn.socket.getPeerCertificate(true).raw.equals(Buffer.from(cert.certDer))).toBe(true);
    } finally {
      await device.stop();
      await peer.close();
    }
  });
});
