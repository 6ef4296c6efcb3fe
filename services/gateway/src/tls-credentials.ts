import { createPrivateKey, X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { ConfigError } from '@wasmbed/errors';
import { serverCredentials, TrustBundle } from '@wasmbed/pki';

export interface TlsCredentials {
  readonly certPem: string;
  readonly keyPem: string;
  /** CAs whose device certificates count as CA-issued; undefined = none configured. */
  readonly clientTrust?: TrustBundle;
}

function isPem(bytes: Buffer): boolean {
  return bytes.subarray(0, 64).toString('latin1').includes('-----BEGIN ');
}

async function read(path: string, what: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (err) {
    throw new ConfigError(`cannot read the gateway's ${what} at ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, [`${what}: unreadable`]);
  }
}

/** A certificate file as PEM; DER files (as the seeds ship them) are converted. */
export function certificateToPem(bytes: Buffer, what: string): string {
  if (isPem(bytes)) return bytes.toString('utf8');
  try {
    return new X509Certificate(bytes).toString();
  } catch {
    throw new ConfigError(`the gateway's ${what} is neither PEM nor a DER X.509 certificate`, [`${what}: unparseable`]);
  }
}

/** A private key file as PKCS#8 PEM; DER keys are read as PKCS#8, then SEC1 (EC) or PKCS#1 (RSA). */
export function privateKeyToPem(bytes: Buffer): string {
  if (isPem(bytes)) return bytes.toString('utf8');
  for (const type of ['pkcs8', 'sec1', 'pkcs1'] as const) {
    try {
      return createPrivateKey({ key: bytes, format: 'der', type }).export({ format: 'pem', type: 'pkcs8' }).toString();
    } catch {
      // try the next encoding
    }
  }
  throw new ConfigError("the gateway's private key is neither PEM nor a DER private key", ['private key: unparseable']);
}

/** Reads the server certificate and key (checking they belong together) and the optional device CA bundle. */
export async function loadTlsCredentials(paths: { certificatePath: string; privateKeyPath: string; clientCaPath?: string }): Promise<TlsCredentials> {
  const certPem = certificateToPem(await read(paths.certificatePath, 'certificate'), 'certificate');
  const keyPem = privateKeyToPem(await read(paths.privateKeyPath, 'private key'));
  let checked;
  try {
    checked = serverCredentials({ certPem, keyPem });
  } catch (err) {
    throw new ConfigError(`the gateway's certificate and private key do not fit: ${(err as Error).message}`, ['certificate/private key: mismatch']);
  }
  if (paths.clientCaPath === undefined) return { certPem: checked.certPem, keyPem: checked.keyPem };
  const caBytes = await read(paths.clientCaPath, 'client CA');
  try {
    const clientTrust = isPem(caBytes) ? TrustBundle.fromPem(caBytes.toString('utf8')) : TrustBundle.of(new Uint8Array(caBytes));
    return { certPem: checked.certPem, keyPem: checked.keyPem, clientTrust };
  } catch (err) {
    throw new ConfigError(`the gateway's client CA cannot be used: ${(err as Error).message}`, ['client CA: invalid']);
  }
}
