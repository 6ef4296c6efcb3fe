import { isIP } from 'node:net';
import { ValidationError } from '@wasmbed/errors';
import { signerOf, CertificateAuthority } from './certificate-authority';
import { buildCertificate, IssuedCertificate } from './certificate-builder';
import { generateEd25519KeyPair } from './ed25519-keys';
import { redactSecretsInLogs } from './redact';
import { validityWindow } from './validity';

export interface ServerCertificateOptions {
  readonly commonName: string;
  readonly dnsNames?: readonly string[];
  readonly ipAddresses?: readonly string[];
  readonly validityDays: number;
  /** Key of the server; omitted, a key pair is generated and returned as `keyPem`. */
  readonly publicKey?: Uint8Array;
  readonly now?: Date;
}

/** `keyPem` is set only when the key was generated here; it prints as "[redacted]" in logs and JSON. */
export interface ServerCertificate extends IssuedCertificate {
  readonly keyPem?: string;
}

export interface DeviceCertificateOptions {
  /** Becomes the subject CN. */
  readonly deviceId: string;
  /** The device's raw Ed25519 public key; its private key never leaves the device. */
  readonly publicKey: Uint8Array;
  readonly validityDays: number;
  readonly now?: Date;
}

// Labels of letters, digits and hyphens, optionally a leading "*." wildcard.
const DNS_NAME = /^(\*\.)?([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

/**
 * A TLS server certificate (EKU serverAuth) for the names clients dial. TLS
 * clients match only the subjectAltName, so at least one DNS name or IP is required.
 * Its lifetime is capped at the CA's notAfter.
 */
export async function issueServerCertificate(ca: CertificateAuthority, options: ServerCertificateOptions): Promise<ServerCertificate> {
  const dnsNames = [...(options.dnsNames ?? [])];
  const ipAddresses = [...(options.ipAddresses ?? [])];
  requireSubjectAltNames(dnsNames, ipAddresses);
  const now = options.now ?? new Date();
  const signer = signerOf(ca, now);
  const { publicKey, keyPem } = serverKey(options.publicKey);
  const cert = await buildCertificate({
    commonName: options.commonName,
    publicKey,
    validity: validityWindow(now, options.validityDays, ca.notAfter),
    profile: { kind: 'server', dnsNames, ipAddresses },
    signedBy: signer,
  });
  return keyPem === undefined ? Object.freeze(cert) : redactSecretsInLogs({ ...cert, keyPem }, ['keyPem']);
}

/** A TLS client certificate (EKU clientAuth, CN = deviceId) for a device's own key. Capped at the CA's notAfter. */
export async function issueDeviceCertificate(ca: CertificateAuthority, options: DeviceCertificateOptions): Promise<IssuedCertificate> {
  const now = options.now ?? new Date();
  const cert = await buildCertificate({
    commonName: options.deviceId,
    publicKey: options.publicKey,
    validity: validityWindow(now, options.validityDays, ca.notAfter),
    profile: { kind: 'client' },
    signedBy: signerOf(ca, now),
  });
  return Object.freeze(cert);
}

/** Splits host names and IP literals (e.g. a gateway's listen hosts) into SAN lists. */
export function subjectAltNamesFor(hosts: readonly string[]): { dnsNames: string[]; ipAddresses: string[] } {
  return {
    dnsNames: hosts.filter((h) => isIP(h) === 0),
    ipAddresses: hosts.filter((h) => isIP(h) !== 0),
  };
}

function serverKey(publicKey: Uint8Array | undefined): { publicKey: Uint8Array; keyPem?: string } {
  if (publicKey) return { publicKey };
  const generated = generateEd25519KeyPair();
  return { publicKey: generated.publicKey, keyPem: generated.privateKeyPem };
}

function requireSubjectAltNames(dnsNames: readonly string[], ipAddresses: readonly string[]): void {
  const issues = [
    ...dnsNames.filter((n) => n.length > 253 || !DNS_NAME.test(n)).map((n) => `dnsNames: ${JSON.stringify(n)} is not a DNS name`),
    ...ipAddresses.filter((ip) => isIP(ip) === 0).map((ip) => `ipAddresses: ${JSON.stringify(ip)} is not an IP address`),
  ];
  if (dnsNames.length + ipAddresses.length === 0) issues.push('dnsNames/ipAddresses: at least one is required');
  if (issues.length > 0) throw new ValidationError(`invalid server certificate names: ${issues.join('; ')}`, issues);
}
