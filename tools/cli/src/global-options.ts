import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { FlagSpecs } from './args/parse-flags';
import type { ParsedArgs } from './args/parsed-args';
import { parseDuration } from './args/values';
import type { ApiConnection } from './client';
import { InputError, UsageError } from './errors';
import type { CliIo } from './io';
import { resolveTls, TLS_FLAGS } from './tls-options';

export const DEFAULT_API_ADDRESS = '127.0.0.1:50051';
export const DEFAULT_TIMEOUT_MS = 15_000;
/** Where `npm start` writes the dev admin token, relative to the working directory. */
export const DEFAULT_TOKEN_FILE = join('.wasmbed', 'admin.token');

/** Flags every command accepts, anywhere on the line. */
export const GLOBAL_FLAGS: FlagSpecs = {
  api: { type: 'string', value: 'HOST:PORT', help: `the api's gRPC address (env WASMBED_API, default ${DEFAULT_API_ADDRESS})` },
  ...TLS_FLAGS,
  token: { type: 'string', value: 'TOKEN', help: 'bearer token (env WASMBED_TOKEN); prefer --token-file, argv is visible to other users' },
  'token-file': { type: 'string', value: 'FILE', help: `file holding the token (default ${DEFAULT_TOKEN_FILE} when it exists)` },
  timeout: { type: 'string', value: 'DURATION', help: 'deadline of each api call, e.g. 30s (default 15s)' },
  json: { type: 'boolean', help: 'machine-readable JSON on stdout' },
  help: { type: 'boolean', short: 'h', help: 'show help' },
};

/**
 * Address, TLS, token and deadline from flags, then the environment, then
 * defaults. The token is read here and never printed.
 */
export function resolveConnection(args: ParsedArgs, io: CliIo, defaultTimeoutMs = DEFAULT_TIMEOUT_MS): ApiConnection {
  const address = args.string('api') ?? io.env.WASMBED_API ?? DEFAULT_API_ADDRESS;
  if (!/^.+:\d+$/.test(address)) throw new UsageError(`--api: expected host:port, got '${address}'`, args.command);
  const timeoutMs = args.value('timeout', parseDuration) ?? defaultTimeoutMs;
  if (timeoutMs <= 0) throw new UsageError('--timeout: must be more than 0', args.command);
  const tls = resolveTls(args, io);
  return { address, token: resolveToken(args, io), timeoutMs, ...(tls === undefined ? {} : { tls }) };
}

function resolveToken(args: ParsedArgs, io: CliIo): string | undefined {
  if (args.has('token') && args.has('token-file')) throw new UsageError('use only one of --token, --token-file', args.command);
  const flag = args.string('token');
  if (flag !== undefined) return nonEmpty(flag, '--token');
  const file = args.string('token-file');
  if (file !== undefined) return readToken(resolve(io.cwd, file));
  const env = io.env.WASMBED_TOKEN;
  if (env !== undefined && env !== '') return env.trim();
  try {
    return readFileSync(resolve(io.cwd, DEFAULT_TOKEN_FILE), 'utf8').trim() || undefined;
  } catch {
    // No default token file: calls go out without a token and the api says so.
    return undefined;
  }
}

function readToken(path: string): string {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new InputError(`cannot read the token file ${path}: ${(err as Error).message}`);
  }
  return nonEmpty(text.trim(), `the token file ${path}`);
}

function nonEmpty(token: string, source: string): string {
  if (token.trim() === '') throw new InputError(`${source} is empty`);
  return token.trim();
}
