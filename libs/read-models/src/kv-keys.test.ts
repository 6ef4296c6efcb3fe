import fc from 'fast-check';
import { CorruptReadModelError } from './errors';
import { checkpointKey, decodeIdToken, documentKey, encodeIdToken, idFromKey } from './kv-keys';

// What @nats-io/kv accepts as a key, and one token (no '.').
const KV_TOKEN = /^[-/=\w]+$/;

describe('KV keys', () => {
  it('leaves plain ids readable', () => {
    expect(encodeIdToken('device-01_A')).toBe('device-01_A');
    expect(documentKey('devices', 'device-01')).toBe('devices.device-01');
    expect(checkpointKey('fleet')).toBe('_checkpoint.fleet');
  });

  it('escapes everything else as =HH bytes, "=" included', () => {
    expect(encodeIdToken('a.b')).toBe('a=2Eb');
    expect(encodeIdToken('x=41')).toBe('x=3D41');
    expect(encodeIdToken('é')).toBe('=C3=A9');
    expect(encodeIdToken('*>')).toBe('=2A=3E');
  });

  it('round-trips any string into a single valid key token', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', minLength: 1 }), (id) => {
        const token = encodeIdToken(id);
        expect(token).toMatch(KV_TOKEN);
        expect(decodeIdToken(token)).toBe(id);
      }),
    );
  });

  it('maps distinct ids to distinct tokens', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (a, b) => {
        fc.pre(a !== b);
        expect(encodeIdToken(a)).not.toBe(encodeIdToken(b));
      }),
    );
  });

  it('reads the id back from a key of the collection only', () => {
    expect(idFromKey('devices', documentKey('devices', 'a.b'))).toBe('a.b');
    expect(idFromKey('devices', documentKey('devices-old', 'x'))).toBeUndefined();
    expect(idFromKey('devices', checkpointKey('fleet'))).toBeUndefined();
  });

  it('refuses a malformed escape', () => {
    expect(() => decodeIdToken('a=zz')).toThrow(CorruptReadModelError);
    expect(() => decodeIdToken('a=4')).toThrow(CorruptReadModelError);
  });
});
