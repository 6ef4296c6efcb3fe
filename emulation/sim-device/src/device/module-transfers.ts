import { TransferOutOfOrderError } from '../errors';

/** Module bytes received so far for one manifest hash; the prefix [0, received) is filled. */
export class PartialModule {
  private readonly buffer: Uint8Array;
  private filled = 0;

  constructor(
    readonly key: string,
    readonly totalBytes: number,
  ) {
    this.buffer = new Uint8Array(totalBytes);
  }

  get received(): number {
    return this.filled;
  }

  get complete(): boolean {
    return this.filled === this.totalBytes;
  }

  /** Appends a chunk; it must start exactly where the received prefix ends and fit in the module. */
  append(offset: number, data: Uint8Array): void {
    if (offset !== this.filled) throw new TransferOutOfOrderError(`chunk at offset ${offset}, expected ${this.filled}`);
    if (offset + data.length > this.totalBytes) {
      throw new TransferOutOfOrderError(`chunk [${offset}, ${offset + data.length}) runs past the module size ${this.totalBytes}`);
    }
    this.buffer.set(data, offset);
    this.filled += data.length;
  }

  bytes(): Uint8Array {
    return this.buffer.subarray(0, this.filled);
  }
}

/**
 * Transfers in progress, kept across sessions and keyed by the manifest's SHA-256:
 * after a reconnect the gateway deploys again and the device resumes at the offset
 * it had reached. Bounded, oldest first out, so abandoned transfers cannot pile up.
 */
export class ModuleTransfers {
  private readonly partials = new Map<string, PartialModule>();

  constructor(readonly maxEntries = 4) {}

  /** The transfer for this hash: resumed if one of the same size exists, else new. */
  resume(sha256: Uint8Array, totalBytes: number): PartialModule {
    const key = Buffer.from(sha256).toString('hex');
    const existing = this.partials.get(key);
    this.partials.delete(key); // re-inserted below as the most recent
    const partial = existing && existing.totalBytes === totalBytes ? existing : new PartialModule(key, totalBytes);
    this.partials.set(key, partial);
    while (this.partials.size > this.maxEntries) this.partials.delete(this.partials.keys().next().value as string);
    return partial;
  }

  discard(partial: PartialModule): void {
    if (this.partials.get(partial.key) === partial) this.partials.delete(partial.key);
  }

  get size(): number {
    return this.partials.size;
  }
}
