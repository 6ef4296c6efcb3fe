import { ValidationError, isWasmbedError, WasmbedError } from './index';

describe('WasmbedError', () => {
  it('carries a code, its class name and details', () => {
    const err = new ValidationError('name must not be empty', ['name: required']);
    expect(err).toBeInstanceOf(WasmbedError);
    expect(isWasmbedError(err)).toBe(true);
    expect(err.name).toBe('ValidationError');
    expect(err.code).toBe('invalid_argument');
    expect(err.toJSON()).toEqual({
      name: 'ValidationError',
      code: 'invalid_argument',
      message: 'name must not be empty',
      details: { issues: ['name: required'] },
    });
  });

  it('does not treat plain errors as Wasmbed errors', () => {
    expect(isWasmbedError(new Error('x'))).toBe(false);
  });
});
