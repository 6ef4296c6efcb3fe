#!/usr/bin/env node
// The `wasmbed` executable: run one command line, exit with its status.
import { runCli } from './cli';

// `wasmbed app show x | head`: a reader that went away is not an error of ours.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
}

// grpc-js names an IP-literal --api as the TLS server name, and Node warns about
// that once (DEP0123) although the certificate is checked against the IP all the
// same: the warning would only clutter stderr, which scripts read.
const emitWarning = process.emitWarning.bind(process) as (...args: unknown[]) => void;
process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
  const code = typeof rest[0] === 'object' && rest[0] !== null ? (rest[0] as { code?: unknown }).code : rest[1];
  if (code !== 'DEP0123') emitWarning(warning, ...rest);
}) as typeof process.emitWarning;

void runCli(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
