import { InvalidValueError, UsageError } from '../errors';
import type { FlagValue, ParsedCommandLine } from './parse-flags';
import { parseKeyValue } from './values';

/**
 * Typed access to one command's parsed flags and positionals. Value parsers'
 * errors become usage errors that name the flag (or the argument).
 */
export class ParsedArgs {
  private readonly flags: ReadonlyMap<string, FlagValue>;
  readonly positionals: readonly string[];

  constructor(parsed: ParsedCommandLine, readonly command: string) {
    this.flags = parsed.flags;
    this.positionals = parsed.positionals;
  }

  has(name: string): boolean {
    return this.flags.has(name);
  }

  bool(name: string): boolean {
    return this.flags.get(name) === true;
  }

  string(name: string): string | undefined {
    const value = this.flags.get(name);
    return typeof value === 'string' ? value : undefined;
  }

  requiredString(name: string): string {
    const value = this.string(name);
    if (value === undefined || value === '') throw new UsageError(`--${name} is required`, this.command);
    return value;
  }

  /** Every value of a repeatable flag, in order. */
  list(name: string): readonly string[] {
    const value = this.flags.get(name);
    return Array.isArray(value) ? value : [];
  }

  /** The flag's value through `parse`, or undefined when the flag is absent. */
  value<T>(name: string, parse: (text: string) => T): T | undefined {
    const text = this.string(name);
    return text === undefined ? undefined : this.parsed(`--${name}`, text, parse);
  }

  values<T>(name: string, parse: (text: string) => T): T[] {
    return this.list(name).map((text) => this.parsed(`--${name}`, text, parse));
  }

  /** A repeatable `k=v` flag as a record; a key given twice is a usage error. */
  keyValues(name: string): Record<string, string> {
    const record: Record<string, string> = {};
    for (const [key, value] of this.values(name, parseKeyValue)) {
      if (key in record) throw new UsageError(`--${name}: ${key} given twice`, this.command);
      record[key] = value;
    }
    return record;
  }

  /** Positional `index`, which the command's arity guarantees is there. */
  arg(index: number): string {
    const value = this.positionals[index];
    if (value === undefined) throw new UsageError(`missing argument ${index + 1}`, this.command);
    return value;
  }

  /** Parses `text` (a positional, say), naming it as `what` on error. */
  parsed<T>(what: string, text: string, parse: (text: string) => T): T {
    try {
      return parse(text);
    } catch (err) {
      if (err instanceof InvalidValueError) throw new UsageError(`${what}: ${err.message}`, this.command);
      throw err;
    }
  }

  /** At most one of `names` may be given; returns the one that was, if any. */
  oneOf(names: readonly string[], required: boolean): string | undefined {
    const given = names.filter((n) => this.has(n));
    const shown = names.map((n) => `--${n}`).join(', ');
    if (given.length > 1) throw new UsageError(`use only one of ${shown}`, this.command);
    if (given.length === 0 && required) throw new UsageError(`one of ${shown} is required`, this.command);
    return given[0];
  }
}
