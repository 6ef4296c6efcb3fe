import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigError } from '@wasmbed/errors';
import { checkTlsKeyPair, parsePemCertificates, type TlsOptions } from '@wasmbed/grpc-kit';
import type { FlagSpecs } from './args/parse-flags';
import type { ParsedArgs } from './args/parsed-args';
import { InputError, UsageError } from './errors';
import type { CliIo } from './io';

/** How the CLI speaks TLS to the api; global flags. */
export const TLS_FLAGS: FlagSpecs = {
  ca: { type: 'string', value: 'FILE', help: "speak TLS and trust the api's certificate if this CA (PEM) issued it (env WASMBED_API_CA)" },
  tls: { type: 'boolean', help: 'speak TLS and trust the system CAs (implied by --ca)' },
  'client-cert': { type: 'string', value: 'FILE', help: 'client certificate (PEM) for an api that asks for one; with --client-key (env WASMBED_API_CLIENT_CERT)' },
  'client-key': { type: 'string', value: 'FILE', help: 'private key (PEM) of --client-cert (env WASMBED_API_CLIENT_KEY)' },
};

/** A file named by a flag or, failing that, by a variable; `source` names it in errors. */
interface Named {
  readonly path: string;
  readonly source: string;
}

function named(args: ParsedArgs, io: CliIo, flag: string, variable: string): Named | undefined {
  const fromFlag = args.string(flag);
  if (fromFlag !== undefined) return { path: fromFlag, source: `--${flag}` };
  const fromEnv = io.env[variable];
  return fromEnv === undefined || fromEnv === '' ? undefined : { path: fromEnv, source: variable };
}

/**
 * TLS settings from --ca / --tls / --client-cert / --client-key (then the
 * environment); undefined = plaintext. Files are read and checked here, so a
 * wrong one is named before any call is made.
 */
export function resolveTls(args: ParsedArgs, io: CliIo): TlsOptions | undefined {
  const ca = named(args, io, 'ca', 'WASMBED_API_CA');
  const cert = named(args, io, 'client-cert', 'WASMBED_API_CLIENT_CERT');
  const key = named(args, io, 'client-key', 'WASMBED_API_CLIENT_KEY');
  if ((cert === undefined) !== (key === undefined)) throw new UsageError('--client-cert and --client-key go together (or WASMBED_API_CLIENT_CERT and WASMBED_API_CLIENT_KEY)', args.command);
  if (ca === undefined && cert === undefined && !args.bool('tls')) return undefined;

  const rootCerts = ca === undefined ? undefined : readPem(io, ca, 'CA file', (pem, source) => parsePemCertificates(pem, source));
  if (cert === undefined || key === undefined) return rootCerts === undefined ? {} : { rootCerts };
  const certChain = readPem(io, cert, 'client certificate', () => undefined);
  const privateKey = readPem(io, key, 'client key', () => undefined);
  checked(() => checkTlsKeyPair({ certChain, privateKey }, { certChain: `${cert.source} ${cert.path}`, privateKey: `${key.source} ${key.path}` }));
  return { ...(rootCerts === undefined ? {} : { rootCerts }), certChain, privateKey };
}

function readPem(io: CliIo, file: Named, what: string, check: (pem: Buffer, source: string) => unknown): Buffer {
  let pem: Buffer;
  try {
    pem = readFileSync(resolve(io.cwd, file.path));
  } catch (err) {
    throw new InputError(`cannot read the ${what} ${file.path} (${file.source}): ${(err as Error).message}`);
  }
  checked(() => check(pem, `${file.source} ${file.path}`));
  return pem;
}

// grpc-kit's checks name the flag and file; to the user they are input errors (exit 1).
function checked(check: () => unknown): void {
  try {
    check();
  } catch (err) {
    if (err instanceof ConfigError) throw new InputError(err.message);
    throw err;
  }
}
