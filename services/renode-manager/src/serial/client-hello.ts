/**
 * A serial line has no connections, TLS does: the bridge starts a gateway
 * connection at the device's ClientHello. This finds one in the device's bytes: a
 * TLS handshake record (content type 22, legacy version 3.1-3.4, a plausible length)
 * whose first handshake message is a ClientHello (type 1). After a session ended,
 * or in a garbled stream, the device may still send other bytes; those come before it.
 */
const HANDSHAKE = 0x16;
const CLIENT_HELLO = 0x01;
/** The largest TLS record a peer may send (2^14 bytes of plaintext + 256 of expansion, RFC 8446 §5.2). */
export const MAX_TLS_RECORD = 16_384 + 256;
/** Record header (5) + handshake type (1): the bytes needed to recognise a ClientHello. */
export const CLIENT_HELLO_PREFIX = 6;

export function findClientHello(bytes: Uint8Array, from = 0): number {
  for (let i = from; i + CLIENT_HELLO_PREFIX <= bytes.length; i++) {
    if (bytes[i] !== HANDSHAKE || bytes[i + 1] !== 0x03 || bytes[i + 2] < 0x01 || bytes[i + 2] > 0x04) continue;
    const length = (bytes[i + 3] << 8) | bytes[i + 4];
    if (length >= 4 && length <= MAX_TLS_RECORD && bytes[i + 5] === CLIENT_HELLO) return i;
  }
  return -1;
}
