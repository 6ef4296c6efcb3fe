/**
 * A serial line has no connections, TLS does: the bridge starts a gateway
 * connection at the device's ClientHello. This finds one in the device's bytes: a
 * TLS handshake record (content type 22, legacy version 3.1-3.4, a plausible length)
 * whose first handshake message is a ClientHello (type 1). After a session ended,
 * the device may still send the tail of its old records; those come before it.
 */
const HANDSHAKE = 0x16;
const CLIENT_HELLO = 0x01;
const MAX_RECORD = 16_384 + 256;
/** Record header (5) + handshake type (1): the bytes needed to recognise a ClientHello. */
export const CLIENT_HELLO_PREFIX = 6;

export function findClientHello(bytes: Uint8Array, from = 0): number {
  for (let i = from; i + CLIENT_HELLO_PREFIX <= bytes.length; i++) {
    if (bytes[i] !== HANDSHAKE || bytes[i + 1] !== 0x03 || bytes[i + 2] < 0x01 || bytes[i + 2] > 0x04) continue;
    const length = (bytes[i + 3] << 8) | bytes[i + 4];
    if (length >= 4 && length <= MAX_RECORD && bytes[i + 5] === CLIENT_HELLO) return i;
  }
  return -1;
}

/**
 * Feeds chunks while no session is open: returns the bytes from the ClientHello on
 * when one is found, keeping the last few bytes of a chunk in case a header is split
 * across two chunks, and counting what it throws away.
 */
export class ClientHelloScanner {
  private carry: Buffer = Buffer.alloc(0);
  dropped = 0;

  push(chunk: Uint8Array): Buffer | undefined {
    const bytes = this.carry.length === 0 ? Buffer.from(chunk) : Buffer.concat([this.carry, chunk]);
    const at = findClientHello(bytes);
    if (at >= 0) {
      this.dropped += at;
      this.carry = Buffer.alloc(0);
      return bytes.subarray(at);
    }
    const keep = Math.min(bytes.length, CLIENT_HELLO_PREFIX - 1);
    this.dropped += bytes.length - keep;
    this.carry = Buffer.from(bytes.subarray(bytes.length - keep));
    return undefined;
  }

  reset(): void {
    this.dropped += this.carry.length;
    this.carry = Buffer.alloc(0);
  }
}
