import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCertificateAuthority, issueServerCertificate } from '@wasmbed/pki';

/** The server side's TLS files, shared by the gateway and the bare baseline server so both handshakes cost the same. */
export interface ServerTlsMaterial {
  readonly keyPath: string;
  readonly certPath: string;
  /** The CA devices verify the server against. */
  readonly caPem: string;
  remove(): Promise<void>;
}

export async function createServerTlsMaterial(): Promise<ServerTlsMaterial> {
  const dir = await mkdtemp(join(tmpdir(), 'wasmbed-bench-tls-'));
  const ca = await createCertificateAuthority({ commonName: 'Wasmbed Bench CA', validityDays: 2 });
  const server = await issueServerCertificate(ca, { commonName: 'gateway', dnsNames: ['localhost'], ipAddresses: ['127.0.0.1'], validityDays: 2 });
  if (server.keyPem === undefined) throw new Error('issueServerCertificate returned no key');
  const keyPath = join(dir, 'server.key');
  const certPath = join(dir, 'server.crt');
  await writeFile(keyPath, server.keyPem, { mode: 0o600 });
  await writeFile(certPath, server.certPem);
  return { keyPath, certPath, caPem: ca.certPem, remove: () => rm(dir, { recursive: true, force: true }) };
}
