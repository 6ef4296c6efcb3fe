import type { FlagSpecs } from './args/parse-flags';
import type { ParsedArgs } from './args/parsed-args';
import type { ApiClient } from './client';
import type { CliIo } from './io';
import type { Output } from './output/output';

export interface CommandContext {
  readonly args: ParsedArgs;
  readonly io: CliIo;
  readonly out: Output;
  /** The api, connected on first use (offline commands never call it). */
  api(): ApiClient;
  /** A path given on the command line, resolved against the working directory. */
  resolvePath(path: string): string;
}

/** One `wasmbed <group> [<name>]` command. */
export interface Command {
  /** e.g. ["device", "list"], or ["logs"]. */
  readonly path: readonly string[];
  /** Synopsis of the positionals, e.g. "NAME [k=v|k-]...". */
  readonly usage?: string;
  readonly summary: string;
  readonly flags?: FlagSpecs;
  /** Allowed number of positionals: [min, max]. Default [0, 0]. */
  readonly arity?: readonly [number, number];
  /** Default deadline of its calls when --timeout is not given. */
  readonly timeoutMs?: number;
  readonly examples?: readonly string[];
  /** Resolves to the exit status (default 0). */
  run(ctx: CommandContext): Promise<number | void>;
}

/** The name a command is shown under: "device list". */
export function commandName(command: Pick<Command, 'path'>): string {
  return command.path.join(' ');
}
