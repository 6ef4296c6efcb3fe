import type { FlagSpecs } from './args/parse-flags';
import { commandName, type Command } from './command';
import { GLOBAL_FLAGS } from './global-options';

const EXIT_STATUS = 'exit status: 0 ok; 1 failure (the api refused or failed, a rollout failed or was rolled back); 2 usage error';

function renderFlags(specs: FlagSpecs): string {
  const rows = Object.entries(specs).map(([name, spec]) => {
    const label = `${spec.short ? `-${spec.short}, ` : ''}--${name}${spec.type === 'string' ? ` ${spec.value ?? 'VALUE'}` : ''}`;
    return [label, spec.help] as const;
  });
  const width = Math.max(...rows.map(([label]) => label.length));
  return rows.map(([label, help]) => `  ${label.padEnd(width)}   ${help}`).join('\n');
}

function renderCommandList(commands: readonly Command[]): string {
  const width = Math.max(...commands.map((c) => commandName(c).length));
  return commands.map((c) => `  ${commandName(c).padEnd(width)}   ${c.summary}`).join('\n');
}

export function topHelp(commands: readonly Command[]): string {
  return [
    'wasmbed: the command line of the Wasmbed control plane',
    '',
    'usage: wasmbed <command> [arguments] [flags]',
    '',
    'commands:',
    renderCommandList(commands),
    '',
    'global flags (anywhere on the line):',
    renderFlags(GLOBAL_FLAGS),
    '',
    EXIT_STATUS,
    "run 'wasmbed <command> --help' for a command's arguments and flags",
    '',
  ].join('\n');
}

export function groupHelp(group: string, commands: readonly Command[]): string {
  return [`usage: wasmbed ${group} <command> [arguments] [flags]`, '', 'commands:', renderCommandList(commands), ''].join('\n');
}

export function commandHelp(command: Command): string {
  const lines = [`usage: wasmbed ${commandName(command)}${command.usage ? ` ${command.usage}` : ''} [flags]`, '', command.summary, ''];
  if (command.flags && Object.keys(command.flags).length > 0) lines.push('flags:', renderFlags(command.flags), '');
  lines.push('global flags:', renderFlags(GLOBAL_FLAGS), '');
  if (command.examples?.length) lines.push('examples:', ...command.examples.map((e) => `  ${e}`), '');
  lines.push(EXIT_STATUS, '');
  return lines.join('\n');
}
