import { createHash, randomBytes, sign } from 'node:crypto';
import { createSelfSignedDeviceCertificate, ed25519KeyPairFromSeed } from '@wasmbed/pki';
import { CertificateStampError } from './errors';

/** What a simulated device presents in its TLS handshake. */
export interface DeviceCredentials {
  readonly commonName: string;
  readonly publicKeyHex: string;
  /** PKCS#8 PEM of the Ed25519 key. */
  readonly keyPem: string;
  readonly certPem: string;
  readonly certDer: Buffer;
}

const SIGNATURE_BYTES = 64;
// BIT STRING of 65 bytes, no unused bits: how an Ed25519 signature ends a certificate.
const SIGNATURE_HEADER = Buffer.from([0x03, 0x41, 0x00]);

/** A device's 32-byte key seed: SHA-256 of the run's seed and the device number, so thousands of keys cost microseconds each. */
export function deviceSeed(runSeed: Uint8Array, index: number): Uint8Array {
  const n = Buffer.alloc(4);
  n.writeUInt32BE(index);
  return new Uint8Array(createHash('sha256').update(runSeed).update(n).digest());
}

/** A device name (certificate CN) valid as a Wasmbed name, of the same length for every index below 10^7. */
export function deviceName(runTag: string, index: number): string {
  return `b${runTag}-${String(index).padStart(7, '0')}`;
}

/** Offset and length of the DER element starting at `at`. */
function derElement(der: Uint8Array, at: number): { contentStart: number; end: number } {
  const first = der[at + 1] as number;
  if (first < 0x80) return { contentStart: at + 2, end: at + 2 + first };
  const lengthBytes = first & 0x7f;
  let length = 0;
  for (let i = 0; i < lengthBytes; i++) length = length * 256 + (der[at + 2 + i] as number);
  return { contentStart: at + 2 + lengthBytes, end: at + 2 + lengthBytes + length };
}

function occurrences(haystack: Buffer, needle: Buffer): number[] {
  const found: number[] = [];
  for (let at = haystack.indexOf(needle); at >= 0; at = haystack.indexOf(needle, at + 1)) found.push(at);
  return found;
}

/**
 * Self-signed device certificates at the cost of one Ed25519 signature each.
 * One certificate is built by @wasmbed/pki as a template; every other device's
 * certificate is that template with its own key, key identifier and name
 * written in place (all fixed-length, so the DER layout does not move) and the
 * TBSCertificate signed again with the device's key. The result is a complete,
 * correctly self-signed X.509 certificate; building each through the X.509
 * library instead costs milliseconds, which is minutes for 10,000 devices.
 */
export class CertificateStamper {
  private constructor(
    private readonly template: Buffer,
    private readonly tbs: { start: number; end: number },
    private readonly keyAt: number,
    private readonly keyIdAt: number,
    private readonly nameAt: readonly number[],
    readonly commonNameLength: number,
  ) {}

  static async create(commonNameLength: number, validityDays = 7): Promise<CertificateStamper> {
    if (!Number.isInteger(commonNameLength) || commonNameLength < 8 || commonNameLength > 64) {
      throw new CertificateStampError(`a template common name must be 8-64 characters, not ${commonNameLength}`);
    }
    // Random name and key: their bytes cannot occur anywhere else in the certificate by accident.
    const name = randomBytes(32).toString('hex').slice(0, commonNameLength);
    const seed = new Uint8Array(randomBytes(32));
    const cert = await createSelfSignedDeviceCertificate({ deviceId: name, seed, validityDays });
    const der = Buffer.from(cert.certDer);
    const key = Buffer.from(cert.publicKey);
    const keys = occurrences(der, key);
    const keyIds = occurrences(der, keyIdentifierOf(key));
    const names = occurrences(der, Buffer.from(name, 'ascii'));
    const tbsStart = derElement(der, 0).contentStart;
    const tail = der.subarray(der.length - SIGNATURE_BYTES - SIGNATURE_HEADER.length, der.length - SIGNATURE_BYTES);
    if (keys.length !== 1 || keyIds.length !== 1 || names.length !== 2 || !tail.equals(SIGNATURE_HEADER) || der[tbsStart] !== 0x30) {
      throw new CertificateStampError('the template certificate does not have the expected layout (one key, one key identifier, issuer = subject, Ed25519 signature last)');
    }
    return new CertificateStamper(der, { start: tbsStart, end: derElement(der, tbsStart).end }, keys[0]!, keyIds[0]!, names, commonNameLength);
  }

  /** The device's credentials for `seed` under `commonName` (exactly commonNameLength ASCII characters). */
  stamp(seed: Uint8Array, commonName: string): DeviceCredentials {
    const name = Buffer.from(commonName, 'ascii');
    if (name.length !== this.commonNameLength || commonName.length !== this.commonNameLength) {
      throw new CertificateStampError(`the common name must be ${this.commonNameLength} ASCII characters, '${commonName}' is not`);
    }
    const keys = ed25519KeyPairFromSeed(seed);
    const der = Buffer.from(this.template);
    const publicKey = Buffer.from(keys.publicKey);
    publicKey.copy(der, this.keyAt);
    keyIdentifierOf(publicKey).copy(der, this.keyIdAt);
    for (const at of this.nameAt) name.copy(der, at);
    sign(null, der.subarray(this.tbs.start, this.tbs.end), keys.privateKey).copy(der, der.length - SIGNATURE_BYTES);
    return { commonName, publicKeyHex: keys.publicKeyHex, keyPem: keys.privateKeyPem, certPem: toPem(der), certDer: der };
  }
}

/** RFC 5280 §4.2.1.2 method 1, as @wasmbed/pki writes it: SHA-1 of the raw public key. */
function keyIdentifierOf(publicKey: Buffer): Buffer {
  return createHash('sha1').update(publicKey).digest();
}

function toPem(der: Buffer): string {
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`;
}
