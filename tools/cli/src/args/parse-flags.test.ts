import { UsageError } from '../errors';
import { parseFlags, type FlagSpecs } from './parse-flags';
import { ParsedArgs } from './parsed-args';
import { parseSize } from './values';

const SPECS: FlagSpecs = {
  memory: { type: 'string', help: '' },
  env: { type: 'string', multiple: true, help: '' },
  all: { type: 'boolean', help: '' },
  follow: { type: 'boolean', short: 'f', help: '' },
  reason: { type: 'string', help: '' },
};

const parse = (argv: string[]) => new ParsedArgs(parseFlags(argv, SPECS, 'app create'), 'app create');

function usageError(argv: string[]): UsageError {
  try {
    parse(argv);
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    return err as UsageError;
  }
  throw new Error('expected a usage error');
}

describe('parseFlags', () => {
  it('reads --name value, --name=value, booleans, short flags and positionals in any order', () => {
    const args = parse(['hello', '--memory', '256KiB', '--all', '-f', '--env=A=1', 'extra', '--env', 'B=2']);
    expect(args.positionals).toEqual(['hello', 'extra']);
    expect(args.string('memory')).toBe('256KiB');
    expect(args.bool('all')).toBe(true);
    expect(args.bool('follow')).toBe(true);
    expect(args.list('env')).toEqual(['A=1', 'B=2']);
    expect(args.has('reason')).toBe(false);
  });

  it('takes everything after -- as positionals', () => {
    expect(parse(['--', '--all', '-x']).positionals).toEqual(['--all', '-x']);
  });

  it('accepts a value that starts with "-" unless it is a known flag', () => {
    expect(parse(['--reason', '-1 degrees']).string('reason')).toBe('-1 degrees');
    expect(usageError(['--reason', '--all']).message).toBe('--reason needs a value');
  });

  it('names the flag in every error, and the command to get help for', () => {
    const unknown = usageError(['--memroy', '1KiB']);
    expect(unknown.message).toBe('unknown flag --memroy');
    expect(unknown.command).toBe('app create');
    expect(usageError(['-x']).message).toBe('unknown flag -x');
    expect(usageError(['--memory']).message).toBe('--memory needs a value');
    expect(usageError(['--all=yes']).message).toBe('--all takes no value');
    expect(usageError(['--memory', '1', '--memory', '2']).message).toBe('--memory given more than once');
  });
});

describe('ParsedArgs', () => {
  it('prefixes value errors with the flag name', () => {
    expect(() => parse(['--memory', 'big']).value('memory', parseSize)).toThrow(/^--memory: expected a size/);
  });

  it('checks mutually exclusive and required flags', () => {
    expect(parse(['--all']).oneOf(['all', 'reason'], true)).toBe('all');
    expect(parse([]).oneOf(['all', 'reason'], false)).toBeUndefined();
    expect(() => parse([]).oneOf(['all', 'reason'], true)).toThrow('one of --all, --reason is required');
    expect(() => parse(['--all', '--reason', 'x']).oneOf(['all', 'reason'], true)).toThrow('use only one of --all, --reason');
    expect(() => parse([]).requiredString('reason')).toThrow('--reason is required');
  });
});
