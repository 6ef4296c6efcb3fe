import { resolve } from 'node:path';
import { CertificateAuthority, createCertificateAuthority } from './certificate-authority';
import { generateEd25519KeyPair } from './ed25519-keys';
import { issueServerCertificate, subjectAltNamesFor } from './issue-certificates';
import { parseCertificate } from './parse-certificate';
import { loadPkiMaterial, PKI_FILES, PkiMaterial, serverCredentials, ServerCredentials, writePkiMaterial } from './pki-files';
import { rotateCertificateAuthority, needsRenewal } from './rotation';
import { TrustBundle } from './trust-bundle';

export interface DevPkiOptions {
  /** Host names and IP literals devices dial the gateway at, e.g. ['localhost', '127.0.0.1']. */
  readonly gatewayHosts: readonly string[];
  readonly caCommonName?: string;
  /** Default 3650. */
  readonly caValidityDays?: number;
  /** Default 365. */
  readonly serverValidityDays?: number;
  /** Replace a certificate this long before it ends. Default 30. */
  readonly renewBeforeDays?: number;
  readonly now?: Date;
}

export interface DevPki {
  readonly ca: CertificateAuthority;
  readonly server: ServerCredentials;
  /** Device CA bundle for the gateway: the current dev CA plus any earlier one not yet expired. */
  readonly deviceTrust: TrustBundle;
  /** Absolute file paths, for services that take paths. */
  readonly files: { readonly caCert: string; readonly serverCert: string; readonly serverKey: string; readonly deviceTrust: string };
  /** What this call had to create rather than reuse. */
  readonly created: { readonly ca: boolean; readonly server: boolean; readonly deviceTrust: boolean };
}

/**
 * The PKI of the embedded dev stack: a dev CA, a gateway server certificate for
 * `gatewayHosts`, and the device CA bundle, created on first use and reused after.
 * A CA near its end is rotated (the old one stays in the bundle until it expires); the
 * server certificate is reissued when near its end, not from the current CA, or not
 * covering every host. Not safe against two processes initialising the same `dir`
 * at once; the dev stack calls it from one launcher.
 */
export async function ensureDevPki(dir: string, options: DevPkiOptions): Promise<DevPki> {
  const now = options.now ?? new Date();
  const renewBeforeDays = options.renewBeforeDays ?? 30;
  const existing = await loadPkiMaterial(dir);

  const { ca, trust: trustBefore } = await currentCa(existing, options, now, renewBeforeDays);
  const deviceTrust = trustBefore.withoutExpired(now).with(ca);
  const server =
    existing.server && serverStillFits(existing.server, ca, options.gatewayHosts, now, renewBeforeDays)
      ? existing.server
      : await newServerCredentials(ca, options, now);

  const created = {
    ca: ca !== existing.ca,
    server: server !== existing.server,
    deviceTrust: existing.deviceTrust?.pem !== deviceTrust.pem,
  };
  await writePkiMaterial(dir, {
    ca: created.ca ? ca : undefined,
    server: created.server ? server : undefined,
    deviceTrust: created.deviceTrust ? deviceTrust : undefined,
  });
  const files = {
    caCert: resolve(dir, PKI_FILES.caCert),
    serverCert: resolve(dir, PKI_FILES.serverCert),
    serverKey: resolve(dir, PKI_FILES.serverKey),
    deviceTrust: resolve(dir, PKI_FILES.deviceTrust),
  };
  return { ca, server, deviceTrust, files, created };
}

async function currentCa(
  existing: PkiMaterial,
  options: DevPkiOptions,
  now: Date,
  renewBeforeDays: number,
): Promise<{ ca: CertificateAuthority; trust: TrustBundle }> {
  const trust = existing.deviceTrust ?? TrustBundle.empty();
  const validityDays = options.caValidityDays ?? 3650;
  if (!existing.ca) {
    const commonName = options.caCommonName ?? 'Wasmbed Dev CA';
    return { ca: await createCertificateAuthority({ commonName, validityDays, now }), trust };
  }
  if (!needsRenewal(existing.ca, { now, renewBeforeDays })) return { ca: existing.ca, trust };
  // Keep the old CA in the bundle when still valid: devices holding its certificates keep working.
  const rotation = await rotateCertificateAuthority(existing.ca, { validityDays, now, trust });
  return { ca: rotation.next, trust: rotation.bundle };
}

function serverStillFits(
  server: ServerCredentials,
  ca: CertificateAuthority,
  hosts: readonly string[],
  now: Date,
  renewBeforeDays: number,
): boolean {
  const cert = parseCertificate(server.certPem).openssl;
  const { dnsNames, ipAddresses } = subjectAltNamesFor(hosts);
  return (
    TrustBundle.of(ca).issuerOf(server.certPem, now) !== undefined &&
    !needsRenewal(server, { now, renewBeforeDays }) &&
    dnsNames.every((name) => cert.checkHost(name) !== undefined) &&
    ipAddresses.every((ip) => cert.checkIP(ip) !== undefined)
  );
}

async function newServerCredentials(ca: CertificateAuthority, options: DevPkiOptions, now: Date): Promise<ServerCredentials> {
  const keyPair = generateEd25519KeyPair();
  const issued = await issueServerCertificate(ca, {
    commonName: 'wasmbed-gateway',
    ...subjectAltNamesFor(options.gatewayHosts),
    validityDays: options.serverValidityDays ?? 365,
    publicKey: keyPair.publicKey,
    now,
  });
  return serverCredentials({ certPem: issued.certPem, keyPem: keyPair.privateKeyPem });
}
