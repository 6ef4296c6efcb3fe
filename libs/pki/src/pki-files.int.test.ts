import { chmod, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CertificateAuthority,
  createCertificateAuthority,
  generateEd25519KeyPair,
  issueServerCertificate,
  KeyMismatchError,
  loadPkiMaterial,
  PKI_FILES,
  PkiMaterialIncompleteError,
  PkiMaterialNotFoundError,
  ServerCredentials,
  serverCredentials,
  TrustBundle,
  writePkiMaterial,
} from './index';

const mode = async (path: string) => (await stat(path)).mode & 0o777;

describe('PKI files', () => {
  let root: string;
  let ca: CertificateAuthority;
  let server: ServerCredentials;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'wasmbed-pki-'));
    ca = await createCertificateAuthority({ commonName: 'Files CA', validityDays: 30 });
    const issued = await issueServerCertificate(ca, { commonName: 'gw', dnsNames: ['localhost'], validityDays: 7 });
    server = serverCredentials({ certPem: issued.certPem, keyPem: issued.keyPem! });
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it('writes keys 0600, certificates 0644 into a 0700 directory and reads them back', async () => {
    const dir = join(root, 'full', 'nested');
    const deviceTrust = TrustBundle.of(ca);
    await writePkiMaterial(dir, { ca, server, deviceTrust });

    expect(await mode(dir)).toBe(0o700);
    expect(await mode(join(dir, PKI_FILES.caKey))).toBe(0o600);
    expect(await mode(join(dir, PKI_FILES.serverKey))).toBe(0o600);
    expect(await mode(join(dir, PKI_FILES.caCert))).toBe(0o644);
    expect((await readdir(dir)).sort()).toEqual(Object.values(PKI_FILES).sort());

    const loaded = await loadPkiMaterial(dir);
    expect(loaded.ca).toMatchObject({ serialNumber: ca.serialNumber, keyPem: ca.keyPem, publicKeyHex: ca.publicKeyHex });
    expect(loaded.server).toEqual({ certPem: server.certPem, keyPem: server.keyPem });
    expect(loaded.deviceTrust?.pem).toBe(deviceTrust.pem);
  });

  it('tightens an existing key file when it is rewritten', async () => {
    const dir = join(root, 'rewrite');
    await writePkiMaterial(dir, { ca });
    await chmod(join(dir, PKI_FILES.caKey), 0o644);
    await writePkiMaterial(dir, { ca });
    expect(await mode(join(dir, PKI_FILES.caKey))).toBe(0o600);
  });

  it('loads only the parts present and enforces required ones', async () => {
    const dir = join(root, 'partial');
    await writePkiMaterial(dir, { deviceTrust: TrustBundle.of(ca) });
    const loaded = await loadPkiMaterial(dir);
    expect(loaded.ca).toBeUndefined();
    expect(loaded.server).toBeUndefined();
    expect(loaded.deviceTrust?.size).toBe(1);
    await expect(loadPkiMaterial(dir, { require: ['deviceTrust', 'server'] })).rejects.toMatchObject({
      constructor: PkiMaterialNotFoundError,
      code: 'not_found',
      path: join(dir, PKI_FILES.serverCert),
    });
    expect(await loadPkiMaterial(join(root, 'does-not-exist'))).toEqual({ ca: undefined, server: undefined, deviceTrust: undefined });
  });

  it('refuses a certificate without its key', async () => {
    const dir = join(root, 'half');
    await writePkiMaterial(dir, { server });
    await rm(join(dir, PKI_FILES.serverKey));
    await expect(loadPkiMaterial(dir)).rejects.toBeInstanceOf(PkiMaterialIncompleteError);
  });

  it('refuses a key that does not belong to the certificate, without printing either', async () => {
    const dir = join(root, 'mismatch');
    await writePkiMaterial(dir, { ca, server });
    const stranger = generateEd25519KeyPair().privateKeyPem;
    await writeFile(join(dir, PKI_FILES.serverKey), stranger, { mode: 0o600 });
    const err = await loadPkiMaterial(dir).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KeyMismatchError);
    const text = `${String(err)} ${JSON.stringify(err)}`;
    expect(text).not.toContain('PRIVATE KEY');
    expect(text).not.toContain(stranger.split('\n')[1]);

    await writeFile(join(dir, PKI_FILES.serverKey), server.keyPem, { mode: 0o600 });
    await writeFile(join(dir, PKI_FILES.caKey), stranger, { mode: 0o600 });
    await expect(loadPkiMaterial(dir)).rejects.toBeInstanceOf(KeyMismatchError);
  });
});
