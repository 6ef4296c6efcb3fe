import { UsageError } from '../errors';

/** One flag a command accepts. Flags are named without their leading "--". */
export interface FlagSpec {
  readonly type: 'string' | 'boolean';
  /** May be given several times; values are collected in order. */
  readonly multiple?: boolean;
  /** One-letter alias, e.g. "f" for -f. */
  readonly short?: string;
  /** Placeholder of the value in help, e.g. "SIZE". */
  readonly value?: string;
  readonly help: string;
}

export type FlagSpecs = Readonly<Record<string, FlagSpec>>;
export type FlagValue = string | boolean | readonly string[];

export interface ParsedCommandLine {
  readonly flags: ReadonlyMap<string, FlagValue>;
  readonly positionals: readonly string[];
}

/**
 * Splits argv into flags and positionals: `--name value`, `--name=value`, `-f`,
 * booleans without a value, `--` ending the flags. Unknown flags, missing values
 * and repeats of single-valued flags are usage errors naming the flag; `command`
 * ("device list") is what the error's help hint points at.
 */
export function parseFlags(argv: readonly string[], specs: FlagSpecs, command: string): ParsedCommandLine {
  const shorts = new Map(Object.entries(specs).flatMap(([name, spec]) => (spec.short ? [[spec.short, name] as const] : [])));
  const flags = new Map<string, FlagValue>();
  const positionals: string[] = [];
  const fail = (message: string): never => {
    throw new UsageError(message, command);
  };

  for (let i = 0; i < argv.length; i++) {
    const token = argv[i]!;
    if (token === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!token.startsWith('-') || token === '-') {
      positionals.push(token);
      continue;
    }
    const long = token.startsWith('--');
    const eq = long ? token.indexOf('=') : -1;
    const key = long ? token.slice(2, eq === -1 ? undefined : eq) : token.slice(1);
    const name = long ? key : shorts.get(key);
    const spec = name === undefined ? undefined : specs[name];
    if (name === undefined || spec === undefined) return fail(`unknown flag ${long ? '--' : '-'}${key}`);
    const shown = `--${name}`;

    let value: string | boolean;
    if (spec.type === 'boolean') {
      if (eq !== -1) return fail(`${shown} takes no value`);
      value = true;
    } else if (eq !== -1) {
      value = token.slice(eq + 1);
    } else {
      const next = argv[i + 1];
      // A following flag means the value was forgotten, not that it starts with "-".
      if (next === undefined || isKnownFlag(next, specs, shorts)) return fail(`${shown} needs a value`);
      value = next;
      i += 1;
    }

    const previous = flags.get(name);
    if (spec.multiple) {
      flags.set(name, [...((previous as readonly string[] | undefined) ?? []), value as string]);
    } else if (previous !== undefined) {
      return fail(`${shown} given more than once`);
    } else {
      flags.set(name, value);
    }
  }
  return { flags, positionals };
}

function isKnownFlag(token: string, specs: FlagSpecs, shorts: ReadonlyMap<string, string>): boolean {
  if (token.startsWith('--')) return token.slice(2).split('=')[0]! in specs;
  return token.length === 2 && token.startsWith('-') && shorts.has(token.slice(1));
}
