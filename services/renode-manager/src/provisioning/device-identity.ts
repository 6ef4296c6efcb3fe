import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { ConfigError } from '@wasmbed/errors';
import { ed25519KeyPairFromSeed, issueDeviceCertificate, loadCertificateAuthority, TrustBundle, type CertificateAuthority } from '@wasmbed/pki';

/** A fresh device identity. `keySeed` is the private key: it goes into the provisioning image only. */
export interface DeviceIdentity {
  readonly keySeed: Buffer;
  readonly rngSeed: Buffer;
  readonly publicKeyHex: string;
  readonly certificateDer: Uint8Array;
}

async function readText(file: string, what: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    throw new ConfigError(`cannot read ${what} ${file}: ${(err as Error).message}`);
  }
}

/**
 * Issues device identities from the platform's device CA (the one the gateway's
 * WASMBED_GATEWAY_CLIENT_CA trusts), and knows the CAs devices must trust for the
 * gateway. Key pairs are made here, on the manager, because it is the emulated
 * device's "factory": the seed is written into the device's provisioning area.
 */
export class DeviceIdentityIssuer {
  private constructor(
    private readonly ca: CertificateAuthority,
    /** DER of each CA certificate the device verifies its gateway against. */
    readonly trustedCaDers: readonly Buffer[],
  ) {}

  static async load(files: { certFile: string; keyFile: string; gatewayCaFile: string | null }): Promise<DeviceIdentityIssuer> {
    const certPem = await readText(files.certFile, 'the device CA certificate');
    const keyPem = await readText(files.keyFile, 'the device CA key');
    let ca: CertificateAuthority;
    let trust: TrustBundle;
    try {
      ca = loadCertificateAuthority({ certPem, keyPem });
      trust = files.gatewayCaFile === null ? TrustBundle.of(ca.certPem) : TrustBundle.fromPem(await readText(files.gatewayCaFile, 'the gateway CA bundle'));
    } catch (err) {
      if (err instanceof ConfigError) throw err;
      throw new ConfigError(`invalid device CA material: ${(err as Error).message}`);
    }
    return new DeviceIdentityIssuer(ca, trust.certificates.map((c) => c.certDer));
  }

  async issue(deviceId: string, validityDays: number): Promise<DeviceIdentity> {
    const keySeed = randomBytes(32);
    const keyPair = ed25519KeyPairFromSeed(keySeed);
    const cert = await issueDeviceCertificate(this.ca, { deviceId, publicKey: keyPair.publicKey, validityDays });
    return { keySeed, rngSeed: randomBytes(32), publicKeyHex: keyPair.publicKeyHex, certificateDer: cert.certDer };
  }
}
