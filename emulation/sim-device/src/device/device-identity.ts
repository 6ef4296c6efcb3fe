import { X509Certificate } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import {
  createSelfSignedDeviceCertificate,
  ed25519KeyPairFromPrivateKeyPem,
  ed25519KeyPairFromSeed,
  generateEd25519KeyPair,
  readOptional,
  writeAtomically,
  type Ed25519KeyPair,
} from '@wasmbed/pki';
import { DeviceIdentityError } from '../errors';

/** Files of a device's key directory. The key is PKCS#8 PEM, mode 0600. */
export const DEVICE_KEY_FILES = { key: 'device.key', cert: 'device.crt' } as const;

export interface DeviceIdentityOptions {
  /** Certificate CN of a self-signed certificate. */
  readonly deviceId: string;
  /** Persist the key and certificate here; created (0700) on first start. Without it the identity lives in memory only. */
  readonly keyDir?: string;
  /** 32-byte Ed25519 seed; the key is derived from it (and must match a key already stored in keyDir). */
  readonly keySeed?: Uint8Array;
  /** A CA-issued client certificate for this device's key; replaces the self-signed one. */
  readonly certificatePem?: string;
  /** Lifetime of a self-signed certificate. Default 365 days. */
  readonly selfSignedValidityDays?: number;
  readonly now?: Date;
}

/** What a device presents in its TLS handshake. `keyPair.privateKeyPem` prints as "[redacted]". */
export interface DeviceIdentity {
  readonly keyPair: Ed25519KeyPair;
  readonly certPem: string;
  readonly selfSigned: boolean;
  /** Files written by this call (empty when everything was reused). */
  readonly created: readonly string[];
}

/** Renew a stored self-signed certificate this close to its end. */
const RENEW_BEFORE_MS = 24 * 3_600_000;

/**
 * The device's key and certificate: loaded from keyDir when present, otherwise
 * made (from keySeed, or random) and stored there, like an MCU that generates
 * its identity on first boot and keeps it in flash.
 */
export async function loadOrCreateDeviceIdentity(options: DeviceIdentityOptions): Promise<DeviceIdentity> {
  const now = options.now ?? new Date();
  const created: string[] = [];
  const keyPath = options.keyDir && join(options.keyDir, DEVICE_KEY_FILES.key);
  const certPath = options.keyDir && join(options.keyDir, DEVICE_KEY_FILES.cert);
  if (options.keyDir) await mkdir(options.keyDir, { recursive: true, mode: 0o700 });

  const storedKey = keyPath ? await readOptional(keyPath) : undefined;
  const keyPair = storedKey !== undefined ? ed25519KeyPairFromPrivateKeyPem(storedKey) : newKeyPair(options.keySeed);
  if (storedKey !== undefined && options.keySeed && !sameKey(keyPair, ed25519KeyPairFromSeed(options.keySeed))) {
    throw new DeviceIdentityError(`${keyPath} holds a different key than the configured seed`);
  }
  if (keyPath && storedKey === undefined) {
    await writeAtomically(keyPath, keyPair.privateKeyPem, 0o600);
    created.push(keyPath);
  }

  if (options.certificatePem !== undefined) {
    requireCertificateOf(options.certificatePem, keyPair, 'the configured certificate');
    if (certPath && (await readOptional(certPath)) !== options.certificatePem) {
      await writeAtomically(certPath, options.certificatePem, 0o644);
      created.push(certPath);
    }
    return { keyPair, certPem: options.certificatePem, selfSigned: isSelfSigned(options.certificatePem), created };
  }

  const storedCert = certPath ? await readOptional(certPath) : undefined;
  if (storedCert !== undefined && usable(storedCert, keyPair, now)) {
    return { keyPair, certPem: storedCert, selfSigned: isSelfSigned(storedCert), created };
  }
  const issued = await createSelfSignedDeviceCertificate({
    deviceId: options.deviceId,
    privateKeyPem: keyPair.privateKeyPem,
    validityDays: options.selfSignedValidityDays ?? 365,
    now,
  });
  if (certPath) {
    await writeAtomically(certPath, issued.certPem, 0o644);
    created.push(certPath);
  }
  return { keyPair, certPem: issued.certPem, selfSigned: true, created };
}

function newKeyPair(seed: Uint8Array | undefined): Ed25519KeyPair {
  return seed ? ed25519KeyPairFromSeed(seed) : generateEd25519KeyPair();
}

function sameKey(a: Ed25519KeyPair, b: Ed25519KeyPair): boolean {
  return a.publicKeyHex === b.publicKeyHex;
}

function requireCertificateOf(certPem: string, keyPair: Ed25519KeyPair, what: string): void {
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(certPem);
  } catch {
    throw new DeviceIdentityError(`${what} is not a PEM certificate`);
  }
  if (!cert.checkPrivateKey(keyPair.privateKey)) throw new DeviceIdentityError(`${what} does not certify the device key`);
}

/**
 * A stored certificate is reused while it certifies our key and is valid. A
 * self-signed one is renewed a day before its end (the device can do that
 * itself); a CA-issued one is kept to its last moment, since only the CA can renew it.
 */
function usable(certPem: string, keyPair: Ed25519KeyPair, now: Date): boolean {
  try {
    const cert = new X509Certificate(certPem);
    const remainingMs = new Date(cert.validTo).getTime() - now.getTime();
    return cert.checkPrivateKey(keyPair.privateKey) && remainingMs > (isSelfSigned(certPem) ? RENEW_BEFORE_MS : 0);
  } catch {
    return false;
  }
}

function isSelfSigned(certPem: string): boolean {
  const cert = new X509Certificate(certPem);
  return cert.checkIssued(cert) && cert.verify(cert.publicKey);
}
