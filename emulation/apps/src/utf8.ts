import { LOG_MAX_BYTES } from './abi';

// ignoreBOM keeps a leading U+FEFF: the ABI passes bytes through, it does not sniff them.
const lenient = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });
const strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Length of the longest prefix of bytes that does not end inside a multi-byte sequence. */
function withoutCutSequence(bytes: Uint8Array): number {
  // A sequence is at most 4 bytes: look back at most 3 for its lead byte.
  for (let i = bytes.length - 1; i >= 0 && i >= bytes.length - 4; i--) {
    const b = bytes[i];
    if ((b & 0xc0) === 0x80) continue; // continuation byte
    const needed = b < 0xc2 ? 1 : b < 0xe0 ? 2 : b < 0xf0 ? 3 : b < 0xf5 ? 4 : 1; // 1: ASCII or never a lead
    return i + needed > bytes.length ? i : bytes.length;
  }
  return bytes.length;
}

/**
 * A log message as the ABI defines it: the first LOG_MAX_BYTES bytes, minus a
 * sequence cut by that truncation, decoded with U+FFFD for invalid sequences.
 */
export function decodeLogMessage(bytes: Uint8Array): { message: string; truncated: boolean } {
  if (bytes.length <= LOG_MAX_BYTES) return { message: lenient.decode(bytes), truncated: false };
  const kept = bytes.subarray(0, LOG_MAX_BYTES);
  return { message: lenient.decode(kept.subarray(0, withoutCutSequence(kept))), truncated: true };
}

/** Strict decoding for config keys; null when the bytes are not UTF-8. */
export function decodeUtf8OrNull(bytes: Uint8Array): string | null {
  try {
    return strict.decode(bytes);
  } catch {
    return null;
  }
}

const encoder = new TextEncoder();

export function encodeUtf8(text: string): Uint8Array {
  return encoder.encode(text);
}
