const encoder = new TextEncoder();

/**
 * The longest prefix of `text` whose UTF-8 encoding fits in maxBytes, cut on a
 * code point boundary and marked with "..." when cut. Protocol text fields have
 * byte limits, and a decoded log line can be longer in UTF-8 than the bytes the
 * app passed (each invalid byte becomes a 3-byte U+FFFD).
 */
export function clipUtf8(text: string, maxBytes: number): string {
  if (encoder.encode(text).length <= maxBytes) return text;
  const budget = Math.max(0, maxBytes - 3);
  let out = '';
  let size = 0;
  for (const ch of text) {
    const n = encoder.encode(ch).length;
    if (size + n > budget) break;
    out += ch;
    size += n;
  }
  return maxBytes >= 3 ? `${out}...` : out;
}
