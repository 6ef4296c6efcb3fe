import { readFileSync } from 'node:fs';
import { ConfigError } from '@wasmbed/errors';
import { checkTlsKeyPair, parsePemCertificates, parsePemPrivateKey } from '@wasmbed/grpc-kit';

/** The api's TLS material: gRPC and HTTPS serve `certChain`; with `clientCa`, gRPC clients need a certificate from it. */
export interface ApiTlsConfig {
  readonly certChain: Buffer;
  readonly privateKey: Buffer;
  readonly clientCa?: Buffer;
}

export const TLS_VARIABLES = {
  cert: 'WASMBED_API_TLS_CERT',
  key: 'WASMBED_API_TLS_KEY',
  clientCa: 'WASMBED_API_TLS_CLIENT_CA',
} as const;

export interface TlsPaths {
  readonly cert?: string;
  readonly key?: string;
  readonly clientCa?: string;
}

/** Reports one problem of one variable; the message follows the variable's name. */
export type ReportIssue = (variable: string, message: string) => void;

/**
 * Reads and checks the files the TLS variables name, at configuration time, so a
 * wrong path or file stops the api with exit 2 and the variable to fix instead
 * of failing the first handshake. Undefined when TLS is off or a problem was reported.
 */
export function readTlsFiles(paths: TlsPaths, report: ReportIssue): ApiTlsConfig | undefined {
  const { cert, key, clientCa } = TLS_VARIABLES;
  if (paths.cert === undefined || paths.key === undefined) {
    if (paths.cert !== undefined) report(key, `must be set too: ${cert} and ${key} go together`);
    if (paths.key !== undefined) report(cert, `must be set too: ${cert} and ${key} go together`);
    if (paths.clientCa !== undefined) report(clientCa, `needs ${cert} and ${key}: client certificates are checked over TLS only`);
    return undefined;
  }
  const certChain = readChecked(paths.cert, cert, report, (pem) => parsePemCertificates(pem, paths.cert!));
  const privateKey = readChecked(paths.key, key, report, (pem) => parsePemPrivateKey(pem, paths.key!));
  const ca = paths.clientCa === undefined ? undefined : readChecked(paths.clientCa, clientCa, report, (pem) => parsePemCertificates(pem, paths.clientCa!));
  if (certChain === undefined || privateKey === undefined || (paths.clientCa !== undefined && ca === undefined)) return undefined;
  const matched = attempt(key, report, () => checkTlsKeyPair({ certChain, privateKey }, { certChain: paths.cert!, privateKey: paths.key! }));
  if (!matched) return undefined;
  return { certChain, privateKey, ...(ca === undefined ? {} : { clientCa: ca }) };
}

function readChecked(path: string, variable: string, report: ReportIssue, check: (pem: Buffer) => unknown): Buffer | undefined {
  let pem: Buffer;
  try {
    pem = readFileSync(path);
  } catch (err) {
    report(variable, `cannot be read: ${(err as Error).message}`);
    return undefined;
  }
  return attempt(variable, report, () => check(pem)) ? pem : undefined;
}

// grpc-kit's checks throw ConfigErrors that name the file; they become issues of the variable.
function attempt(variable: string, report: ReportIssue, check: () => unknown): boolean {
  try {
    check();
    return true;
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    report(variable, err.message);
    return false;
  }
}
