import { ConfigError } from '@wasmbed/errors';
import { createClient, isLoopbackAddress, type ClientConstructor } from './index';

describe('isLoopbackAddress', () => {
  it.each([
    ['127.0.0.1:50051', true],
    ['127.1.2.3:1', true],
    ['localhost:50051', true],
    ['[::1]:50051', true],
    ['dns:///localhost:50051', true],
    ['ipv4:127.0.0.1:50051', true],
    ['unix:/run/wasmbed.sock', true],
    ['10.0.0.5:50051', false],
    ['api.wasmbed.example:443', false],
    ['localhost.evil.example:443', false],
    ['[2001:db8::1]:50051', false],
    ['128.0.0.1:50051', false],
  ])('%s -> %s', (address, expected) => {
    expect(isLoopbackAddress(address)).toBe(expected);
  });
});

describe('createClient', () => {
  it('refuses to send a token in plaintext beyond loopback', () => {
    // Never constructed: the check happens before any channel exists.
    const Client = class {} as unknown as ClientConstructor<object>;
    expect(() => createClient(Client, 'api.wasmbed.example:443', { token: 't' })).toThrow(ConfigError);
  });
});
