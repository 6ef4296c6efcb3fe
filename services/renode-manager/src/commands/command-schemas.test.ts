import { ValidationError } from '@wasmbed/errors';
import { parseCommand, parseJsonBody } from './command-schemas';

describe('command requests', () => {
  it('accepts create with optional backend, labels and start', () => {
    expect(parseCommand('create', { name: 'emu-1', board: 'mps2-an385' })).toEqual({ verb: 'create', request: { name: 'emu-1', board: 'mps2-an385' } });
    expect(parseCommand('create', { name: 'emu-1', board: 'riscv', backend: 'qemu', labels: { site: 'lab' }, start: false })).toEqual({
      verb: 'create',
      request: { name: 'emu-1', board: 'riscv', backend: 'qemu', labels: { site: 'lab' }, start: false },
    });
  });

  it('takes a name for the device verbs and nothing for list (an empty body included)', () => {
    for (const verb of ['start', 'stop', 'restart', 'delete', 'get'] as const) expect(parseCommand(verb, { name: 'emu-1' })).toEqual({ verb, name: 'emu-1' });
    expect(parseCommand('list', undefined)).toEqual({ verb: 'list' });
    expect(parseCommand('list', {})).toEqual({ verb: 'list' });
  });

  it('names every problem of a bad request', () => {
    const attempt = () => parseCommand('create', { name: '', board: 3, backend: 'docker', extra: true });
    expect(attempt).toThrow(ValidationError);
    expect(attempt).toThrow(/^invalid create request: /);
    try {
      attempt();
    } catch (err) {
      expect((err as ValidationError).issues).toEqual([
        expect.stringMatching(/^name: /),
        expect.stringMatching(/^board: /),
        expect.stringMatching(/^backend: /),
        expect.stringMatching(/^\(body\): .*extra/),
      ]);
    }
    expect(() => parseCommand('start', {})).toThrow('invalid start request: name: ');
    expect(() => parseCommand('list', { name: 'x' })).toThrow(ValidationError);
    expect(() => parseCommand('create', { name: 'e', board: 'b', labels: { k: 7 } })).toThrow('labels.k');
  });

  it('reads JSON bodies; empty text is no body', () => {
    expect(parseJsonBody('', 'list')).toBeUndefined();
    expect(parseJsonBody(' {"name":"emu-1"} ', 'get')).toEqual({ name: 'emu-1' });
    expect(() => parseJsonBody('{name', 'get')).toThrow('invalid get request: the body is not JSON');
  });
});
