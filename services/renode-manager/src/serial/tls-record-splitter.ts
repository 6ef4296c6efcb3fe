import { findClientHello, MAX_TLS_RECORD } from './client-hello';

/** Record header (5 bytes) + the first handshake byte: all the bridge ever reads of a record. */
const PEEK = 6;
const CHANGE_CIPHER_SPEC = 0x14;
const APPLICATION_DATA = 0x17;
const HANDSHAKE = 0x16;
const CLIENT_HELLO = 0x01;

/**
 * What the splitter makes of the device's bytes, in stream order:
 * - `record`: bytes of whole or partial TLS records, to relay as they are;
 *   `clientHello` marks bytes that begin a ClientHello record (a new TLS session);
 * - `desync`: a record header that no TLS peer sends (the stream lost or gained
 *   bytes): what follows is dropped until the next ClientHello.
 */
export type SplitEvent =
  | { readonly kind: 'record'; readonly clientHello: boolean; readonly bytes: Buffer }
  | { readonly kind: 'desync'; readonly header: string };

/** A header a TLS 1.2/1.3 peer can send: a known content type, version 3.1-3.4, 1 to 2^14+256 bytes. */
function plausibleHeader(bytes: Buffer, at: number): boolean {
  const length = bytes.readUInt16BE(at + 3);
  return bytes[at] >= CHANGE_CIPHER_SPEC && bytes[at] <= APPLICATION_DATA && bytes[at + 1] === 0x03 && bytes[at + 2] >= 0x01 && bytes[at + 2] <= 0x04 && length >= 1 && length <= MAX_TLS_RECORD;
}

/**
 * Follows the TLS record framing of the device → gateway stream without buffering
 * records: bytes pass through as they arrive, and only a record's header and first
 * handshake byte (at most 5 bytes held between chunks) are looked at, so that the
 * start of a ClientHello is seen wherever the emulator cuts the stream. TLS stays
 * end to end: nothing past that byte is read.
 *
 * It starts out hunting for a ClientHello (what came before the device's first
 * session belongs to none), and hunts again after a header no TLS peer sends, so
 * a garbled stream costs the bytes up to the device's next session attempt, never
 * the bridge. Hunted-over bytes are counted in `dropped`, desyncs in `resyncs`.
 */
export class TlsRecordSplitter {
  /** Bytes thrown away while hunting for a ClientHello. */
  dropped = 0;
  /** Implausible headers met in a synchronised stream. */
  resyncs = 0;
  private hunting = true;
  /** Bytes of the current record (header included) not passed on yet. */
  private remaining = 0;
  /** Up to PEEK - 1 bytes held until a header can be judged. */
  private carry: Buffer = Buffer.alloc(0);

  push(chunk: Uint8Array): SplitEvent[] {
    // Without held bytes the chunk itself is sliced (no copy): the events' bytes are views of it.
    const bytes = this.carry.length === 0 ? Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength) : Buffer.concat([this.carry, chunk]);
    this.carry = Buffer.alloc(0);
    const events: SplitEvent[] = [];
    let runStart = -1;
    let runHello = false;
    const flush = (end: number) => {
      if (runStart >= 0 && end > runStart) events.push({ kind: 'record', clientHello: runHello, bytes: bytes.subarray(runStart, end) });
      runStart = -1;
    };

    let i = 0;
    while (i < bytes.length) {
      if (this.remaining > 0) {
        const n = Math.min(this.remaining, bytes.length - i);
        if (runStart < 0) [runStart, runHello] = [i, false];
        this.remaining -= n;
        i += n;
        continue;
      }
      if (this.hunting) {
        const at = findClientHello(bytes, i);
        if (at < 0) {
          // A ClientHello header may straddle this chunk and the next: keep its possible start.
          const keep = Math.min(bytes.length - i, PEEK - 1);
          this.dropped += bytes.length - i - keep;
          this.carry = Buffer.from(bytes.subarray(bytes.length - keep));
          i = bytes.length;
          break;
        }
        this.dropped += at - i;
        i = at;
        this.hunting = false;
      }
      // At a record boundary: judge the header (and for a handshake record, its first byte).
      const available = bytes.length - i;
      if (available < 5 || (available < PEEK && bytes[i] === HANDSHAKE)) {
        flush(i);
        this.carry = Buffer.from(bytes.subarray(i));
        i = bytes.length;
        break;
      }
      if (!plausibleHeader(bytes, i)) {
        flush(i);
        this.resyncs += 1;
        this.hunting = true;
        events.push({ kind: 'desync', header: bytes.subarray(i, i + 5).toString('hex') });
        // Hunting resumes at this byte; it cannot match, as every ClientHello header findClientHello accepts is plausible.
        continue;
      }
      const clientHello = bytes[i] === HANDSHAKE && bytes[i + 5] === CLIENT_HELLO;
      if (clientHello) {
        flush(i);
        [runStart, runHello] = [i, true];
      } else if (runStart < 0) {
        [runStart, runHello] = [i, false];
      }
      this.remaining = 5 + bytes.readUInt16BE(i + 3);
    }
    // Where bytes were held back, the run before them was flushed already.
    flush(i);
    return events;
  }
}
