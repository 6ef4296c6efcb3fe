import { clipUtf8 } from './clip-utf8';

const bytes = (s: string) => new TextEncoder().encode(s).length;

describe('clipUtf8', () => {
  it('keeps text that fits', () => {
    expect(clipUtf8('hello', 5)).toBe('hello');
  });

  it('cuts on a code point boundary and marks the cut, within the byte budget', () => {
    const text = 'température °C '.repeat(40);
    const clipped = clipUtf8(text, 100);
    expect(bytes(clipped)).toBeLessThanOrEqual(100);
    expect(clipped.endsWith('...')).toBe(true);
    expect(text.startsWith(clipped.slice(0, -3))).toBe(true);
    // Never half of a multi-byte character (U+FFFD would betray a split).
    expect(clipUtf8('€€€€', 8)).toBe('€...');
  });

  it('accounts for U+FFFD being 3 bytes', () => {
    const text = '\ufffd'.repeat(400); // what 400 invalid bytes decode to: 1200 bytes of UTF-8
    expect(bytes(clipUtf8(text, 1_024))).toBeLessThanOrEqual(1_024);
  });
});
