// @wasmbed/cli: the `wasmbed` command line, also callable in-process.
export { runCli } from './cli';
export { EXIT } from './errors';
export type { CliIo, OutputStream } from './io';
