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

void runCli(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
