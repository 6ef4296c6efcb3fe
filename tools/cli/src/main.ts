#!/usr/bin/env node
// The `wasmbed` executable: run one command line, exit with its status.
import { runCli } from './cli';

void runCli(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
