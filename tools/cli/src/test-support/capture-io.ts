import type { CliIo } from '../io';

/** A CliIo that records what the CLI writes. */
export function captureIo(options: { env?: Record<string, string>; cwd?: string; tty?: boolean } = {}): CliIo & { out(): string; err(): string } {
  let out = '';
  let err = '';
  return {
    stdout: { write: (text: string) => (out += text), isTTY: options.tty ?? false },
    stderr: { write: (text: string) => (err += text) },
    env: options.env ?? {},
    cwd: options.cwd ?? '/nonexistent-wasmbed-cli-test',
    out: () => out,
    err: () => err,
  };
}
