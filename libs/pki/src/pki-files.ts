import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { CertificateAuthority, loadCertificateAuthority } from './certificate-authority';
import { privateKeyFromPem } from './ed25519-keys';
import { KeyMismatchError, PkiMaterialIncompleteError, PkiMaterialNotFoundError } from './errors';
import { parseCertificate } from './parse-certificate';
import { redactSecretsInLogs } from './redact';
import { readOptional, writeAtomically } from './secret-files';
import { TrustBundle } from './trust-bundle';

/** File names inside a PKI directory. Private keys are written with mode 0600. */
export const PKI_FILES = {
  caCert: 'ca.crt',
  caKey: 'ca.key',
  serverCert: 'server.crt',
  serverKey: 'server.key',
  /** CAs whose device certificates the gateway accepts as CA-issued. */
  deviceTrust: 'device-trust.pem',
} as const;

/** A TLS server's certificate and key. `keyPem` prints as "[redacted]" in logs and JSON. */
export interface ServerCredentials {
  readonly certPem: string;
  readonly keyPem: string;
}

export interface PkiMaterial {
  readonly ca?: CertificateAuthority;
  readonly server?: ServerCredentials;
  readonly deviceTrust?: TrustBundle;
}

export type PkiPart = keyof PkiMaterial;

const CERT_MODE = 0o644;
const KEY_MODE = 0o600;

/** Writes the parts given (others untouched), each file atomically; creates `dir` as 0700 if missing. */
export async function writePkiMaterial(dir: string, material: PkiMaterial): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  if (material.ca) {
    await writeAtomically(join(dir, PKI_FILES.caKey), material.ca.keyPem, KEY_MODE);
    await writeAtomically(join(dir, PKI_FILES.caCert), material.ca.certPem, CERT_MODE);
  }
  if (material.server) {
    await writeAtomically(join(dir, PKI_FILES.serverKey), material.server.keyPem, KEY_MODE);
    await writeAtomically(join(dir, PKI_FILES.serverCert), material.server.certPem, CERT_MODE);
  }
  if (material.deviceTrust) await writeAtomically(join(dir, PKI_FILES.deviceTrust), material.deviceTrust.pem, CERT_MODE);
}

/**
 * Reads what the directory holds, checking that each certificate and key belong
 * together. Parts listed in `require` must be present (PkiMaterialNotFoundError).
 */
export async function loadPkiMaterial(dir: string, options: { require?: readonly PkiPart[] } = {}): Promise<PkiMaterial> {
  const caPair = await readPair(dir, PKI_FILES.caCert, PKI_FILES.caKey);
  const serverPair = await readPair(dir, PKI_FILES.serverCert, PKI_FILES.serverKey);
  const deviceTrustPem = await readOptional(join(dir, PKI_FILES.deviceTrust));
  const material: PkiMaterial = {
    ca: caPair && loadCertificateAuthority(caPair),
    server: serverPair && serverCredentials(serverPair),
    deviceTrust: deviceTrustPem === undefined ? undefined : TrustBundle.fromPem(deviceTrustPem),
  };
  for (const part of options.require ?? []) {
    if (!material[part]) throw new PkiMaterialNotFoundError(join(dir, fileOf(part)));
  }
  return material;
}

/** Checks that a server key matches its certificate (any algorithm, so an external CA's ECDSA or RSA key works too). */
export function serverCredentials(pair: { certPem: string; keyPem: string }): ServerCredentials {
  const cert = parseCertificate(pair.certPem);
  if (!cert.openssl.checkPrivateKey(privateKeyFromPem(pair.keyPem))) {
    throw new KeyMismatchError(`server certificate '${cert.commonName ?? cert.serialNumber}'`);
  }
  return redactSecretsInLogs({ certPem: pair.certPem, keyPem: pair.keyPem }, ['keyPem']);
}

function fileOf(part: PkiPart): string {
  return { ca: PKI_FILES.caCert, server: PKI_FILES.serverCert, deviceTrust: PKI_FILES.deviceTrust }[part];
}

async function readPair(dir: string, certFile: string, keyFile: string): Promise<{ certPem: string; keyPem: string } | undefined> {
  const certPem = await readOptional(join(dir, certFile));
  const keyPem = await readOptional(join(dir, keyFile));
  if (certPem === undefined && keyPem === undefined) return undefined;
  if (certPem === undefined) throw new PkiMaterialIncompleteError(join(dir, keyFile), join(dir, certFile));
  if (keyPem === undefined) throw new PkiMaterialIncompleteError(join(dir, certFile), join(dir, keyFile));
  return { certPem, keyPem };
}

