import { generateKeyPairSync } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createCertificateAuthority, issueServerCertificate } from '@wasmbed/pki';

/** Files of a throwaway cluster PKI, all inside one temp dir. */
export interface KubePki {
  readonly caPath: string;
  readonly caPem: string;
  readonly servingCertPath: string;
  readonly servingKeyPath: string;
  /** ECDSA P-256 pair kube-apiserver signs and verifies service-account tokens with. */
  readonly serviceAccountKeyPath: string;
  readonly serviceAccountPublicKeyPath: string;
}

/**
 * A CA and a serving certificate for 127.0.0.1/localhost (Ed25519, from @wasmbed/pki),
 * plus the service-account key pair. Lives one day: long enough for any test run.
 */
export async function createKubePki(dir: string): Promise<KubePki> {
  const ca = await createCertificateAuthority({ commonName: 'wasmbed-test-kube-ca', validityDays: 1 });
  const serving = await issueServerCertificate(ca, {
    commonName: 'kube-apiserver',
    dnsNames: ['localhost', 'kubernetes', 'kubernetes.default', 'kubernetes.default.svc'],
    ipAddresses: ['127.0.0.1'],
    validityDays: 1,
  });
  const serviceAccount = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const pki: KubePki = {
    caPath: join(dir, 'ca.crt'),
    caPem: ca.certPem,
    servingCertPath: join(dir, 'apiserver.crt'),
    servingKeyPath: join(dir, 'apiserver.key'),
    serviceAccountKeyPath: join(dir, 'sa.key'),
    serviceAccountPublicKeyPath: join(dir, 'sa.pub'),
  };
  await Promise.all([
    writeFile(pki.caPath, ca.certPem),
    writeFile(pki.servingCertPath, serving.certPem),
    writeFile(pki.servingKeyPath, serving.keyPem ?? '', { mode: 0o600 }),
    writeFile(pki.serviceAccountKeyPath, serviceAccount.privateKey.export({ format: 'pem', type: 'pkcs8' }), { mode: 0o600 }),
    writeFile(pki.serviceAccountPublicKeyPath, serviceAccount.publicKey.export({ format: 'pem', type: 'spki' })),
  ]);
  return pki;
}
