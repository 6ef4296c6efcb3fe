import { ValidationError } from '@wasmbed/errors';
import { z } from 'zod';
import { formatIssuePath, validateRequest } from './index';

const schema = z.object({
  name: z.string().regex(/^[a-z0-9-]+$/, 'must be a DNS label'),
  targets: z.object({ names: z.array(z.string().min(1, 'must not be empty')) }),
});

describe('validateRequest', () => {
  it('returns the parsed request', async () => {
    await expect(validateRequest(schema, { name: 'app-1', targets: { names: ['d1'] } })).resolves.toEqual({
      name: 'app-1',
      targets: { names: ['d1'] },
    });
  });

  it('throws a ValidationError naming every offending field', async () => {
    const failure = validateRequest(schema, { name: 'App 1', targets: { names: ['d1', ''] } });
    await expect(failure).rejects.toBeInstanceOf(ValidationError);
    await expect(failure).rejects.toMatchObject({
      message: 'invalid request: name: must be a DNS label; targets.names[1]: must not be empty',
      issues: ['name: must be a DNS label', 'targets.names[1]: must not be empty'],
    });
  });
});

describe('formatIssuePath', () => {
  it.each<[PropertyKey[], string]>([
    [[], '(request)'],
    [['name'], 'name'],
    [[0], '[0]'],
    [['spec', 'args', 2, 'value'], 'spec.args[2].value'],
  ])('formats %j as %s', (path, expected) => {
    expect(formatIssuePath(path)).toBe(expected);
  });
});
