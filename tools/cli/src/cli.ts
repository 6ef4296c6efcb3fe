import { resolve } from 'node:path';
import { isWasmbedError } from '@wasmbed/errors';
import { parseFlags } from './args/parse-flags';
import { ParsedArgs } from './args/parsed-args';
import { ApiClient } from './client';
import { commandName, type Command, type CommandContext } from './command';
import { COMMANDS } from './commands/registry';
import { EXIT, exitCodeOf, UsageError } from './errors';
import { GLOBAL_FLAGS, resolveConnection } from './global-options';
import { commandHelp, groupHelp, topHelp } from './help';
import { processIo, type CliIo } from './io';
import { Output } from './output/output';

interface Resolved {
  /** The command, or undefined when argv names a group (or nothing). */
  readonly command?: Command;
  readonly group?: string;
  /** argv without the command's words. */
  readonly rest: readonly string[];
}

/**
 * Finds the command words in argv. Global flags may come before them; the
 * first other flag ends the search.
 */
function resolveCommand(argv: readonly string[]): Resolved {
  const words: number[] = [];
  for (let i = 0; i < argv.length && words.length < 2; i++) {
    const token = argv[i]!;
    if (token.startsWith('-')) {
      const name = token.startsWith('--') ? token.slice(2).split('=')[0]! : token === '-h' ? 'help' : '';
      const spec = GLOBAL_FLAGS[name];
      if (spec === undefined && words.length === 0) throw new UsageError(`unknown flag ${token.split('=')[0]}`);
      if (spec === undefined) break;
      if (spec.type === 'string' && !token.includes('=')) i += 1;
      continue;
    }
    words.push(i);
    const path = words.map((w) => argv[w]!);
    if (path[0] === 'help') continue;
    const exact = COMMANDS.find((c) => c.path.join(' ') === path.join(' '));
    if (exact) return { command: exact, rest: argv.filter((_, j) => !words.includes(j)) };
    if (!COMMANDS.some((c) => c.path[0] === path[0])) throw new UsageError(`unknown command '${path[0]}'`);
    if (path.length === 2) {
      const names = groupCommands(path[0]!).map((c) => c.path[1]).join(', ');
      throw new UsageError(`unknown command '${path.join(' ')}'; 'wasmbed ${path[0]}' has: ${names}`, path[0]);
    }
  }
  const path = words.map((w) => argv[w]!);
  return { group: path[0], rest: argv.filter((_, j) => !words.includes(j)) };
}

function groupCommands(group: string): Command[] {
  return COMMANDS.filter((c) => c.path[0] === group);
}

/** `wasmbed help [cmd]`, bare `wasmbed`, or a group without its subcommand. */
function helpFor(argv: readonly string[], resolved: Resolved, io: CliIo): number {
  const words = argv.filter((t) => !t.startsWith('-'));
  if (words[0] === 'help' && words.length > 1) return runHelpTopic(words.slice(1), io);
  const group = resolved.group;
  if (group === undefined || group === 'help') {
    io.stdout.write(topHelp(COMMANDS));
    return EXIT.ok;
  }
  if (argv.includes('--help') || argv.includes('-h')) {
    io.stdout.write(groupHelp(group, groupCommands(group)));
    return EXIT.ok;
  }
  const names = groupCommands(group).map((c) => c.path[1]).join(', ');
  throw new UsageError(`'wasmbed ${group}' needs a command: ${names}`, group);
}

function runHelpTopic(topic: readonly string[], io: CliIo): number {
  const command = COMMANDS.find((c) => c.path.join(' ') === topic.join(' '));
  if (command) io.stdout.write(commandHelp(command));
  else if (groupCommands(topic[0]!).length > 0) io.stdout.write(groupHelp(topic[0]!, groupCommands(topic[0]!)));
  else throw new UsageError(`unknown command '${topic.join(' ')}'`);
  return EXIT.ok;
}

async function runCommand(command: Command, rest: readonly string[], io: CliIo): Promise<number> {
  const name = commandName(command);
  const args = new ParsedArgs(parseFlags(rest, { ...GLOBAL_FLAGS, ...command.flags }, name), name);
  if (args.bool('help')) {
    io.stdout.write(commandHelp(command));
    return EXIT.ok;
  }
  const [min, max] = command.arity ?? [0, 0];
  const count = args.positionals.length;
  if (count < min) throw new UsageError(`missing argument: wasmbed ${name} ${command.usage ?? ''}`.trimEnd(), name);
  if (count > max) throw new UsageError(`unexpected argument '${args.positionals[max]}'`, name);

  let api: ApiClient | undefined;
  const ctx: CommandContext = {
    args,
    io,
    out: new Output(io, args.bool('json')),
    api: () => (api ??= new ApiClient(resolveConnection(args, io, command.timeoutMs))),
    resolvePath: (path) => resolve(io.cwd, path),
  };
  try {
    return (await command.run(ctx)) ?? EXIT.ok;
  } finally {
    api?.close();
  }
}

function reportError(err: unknown, io: CliIo, json: boolean): number {
  if (!isWasmbedError(err)) {
    const detail = io.env.WASMBED_DEBUG ? ((err as Error).stack ?? String(err)) : String((err as Error)?.message ?? err);
    io.stderr.write(json ? `${JSON.stringify({ error: { code: 'internal', message: detail } })}\n` : `wasmbed: internal error: ${detail}\n`);
    return EXIT.failure;
  }
  if (json) {
    io.stderr.write(`${JSON.stringify({ error: { code: err.code, name: err.name, message: err.message } })}\n`);
  } else {
    io.stderr.write(`wasmbed: ${err.message}\n`);
    if (err instanceof UsageError) io.stderr.write(`run 'wasmbed ${err.command ? `${err.command} ` : ''}--help' for usage\n`);
  }
  return exitCodeOf(err);
}

/** Runs one command line; resolves to the process exit status. Never throws. */
export async function runCli(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  try {
    const resolved = resolveCommand(argv);
    if (resolved.command === undefined) return helpFor(argv, resolved, io);
    return await runCommand(resolved.command, resolved.rest, io);
  } catch (err) {
    return reportError(err, io, argv.includes('--json'));
  }
}
