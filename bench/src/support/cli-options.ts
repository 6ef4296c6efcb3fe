import { ConfigError } from '@wasmbed/errors';

/** An integer flag (`--name 123`): the option it sets and its inclusive range. */
export interface IntegerFlag<K extends string> {
  readonly key: K;
  readonly min: number;
  readonly max: number;
}

export type IntegerFlags<T> = Readonly<Record<string, IntegerFlag<Extract<keyof T, string>>>>;

/**
 * Parses `--flag <integer>` pairs over `defaults`. Unknown flags, missing values
 * and values out of a flag's range are refused with the flag named, so a typo
 * never silently runs the default size.
 */
export function parseIntegerFlags<T extends { [K in keyof T]: number }>(argv: readonly string[], defaults: T, flags: IntegerFlags<T>): T {
  const options: Record<string, number> = { ...defaults };
  for (let i = 0; i < argv.length; i += 2) {
    const flag = argv[i] as string;
    const rule = flags[flag];
    if (rule === undefined) throw new ConfigError(`unknown option ${flag}; known: ${Object.keys(flags).join(', ')}`, [flag]);
    const text = argv[i + 1];
    const value = text === undefined || text.trim() === '' ? Number.NaN : Number(text);
    if (!Number.isSafeInteger(value) || value < rule.min || value > rule.max) {
      throw new ConfigError(`${flag} needs an integer from ${rule.min} to ${rule.max}, got ${text ?? 'nothing'}`, [flag]);
    }
    options[rule.key] = value;
  }
  return options as T;
}

/** Refuses a combination of options that cannot be run, naming the flags involved. */
export function requireOption(ok: boolean, message: string): void {
  if (!ok) throw new ConfigError(message, [message]);
}

/**
 * A gateway bench's command line: its integer flags, then `check` on the result
 * for combinations that cannot run, plus the NATS to use from WASMBED_NATS_URL
 * (a fresh nats-server is started when it is unset).
 */
export function parseBenchOptions<T extends { [K in keyof T]: number }>(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  defaults: T,
  flags: IntegerFlags<T>,
  check: (options: T) => void,
): T & { natsUrl?: string } {
  const options = parseIntegerFlags(argv, defaults, flags);
  check(options);
  return { ...options, natsUrl: env.WASMBED_NATS_URL };
}
