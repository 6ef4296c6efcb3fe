/**
 * Module bytes by SHA-256, least recently used evicted first once the total
 * exceeds `maxBytes`. Concurrent gets of the same missing module share one load,
 * so a fleet-wide deploy reads the object store once per gateway.
 */
export class ModuleCache {
  private readonly entries = new Map<string, Uint8Array>();
  private readonly loading = new Map<string, Promise<Uint8Array>>();
  private bytes = 0;

  constructor(
    private readonly maxBytes: number,
    private readonly load: (sha256: string) => Promise<Uint8Array>,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  get totalBytes(): number {
    return this.bytes;
  }

  has(sha256: string): boolean {
    return this.entries.has(sha256);
  }

  async get(sha256: string): Promise<Uint8Array> {
    const hit = this.entries.get(sha256);
    if (hit !== undefined) {
      // Re-insert: Map order is the recency order.
      this.entries.delete(sha256);
      this.entries.set(sha256, hit);
      return hit;
    }
    let pending = this.loading.get(sha256);
    if (pending === undefined) {
      pending = this.load(sha256).finally(() => this.loading.delete(sha256));
      this.loading.set(sha256, pending);
      void pending.then((bytes) => this.insert(sha256, bytes), () => undefined);
    }
    return pending;
  }

  private insert(sha256: string, value: Uint8Array): void {
    // Larger than the whole cache: serve it, keep nothing.
    if (value.length > this.maxBytes || this.entries.has(sha256)) return;
    this.entries.set(sha256, value);
    this.bytes += value.length;
    for (const [key, bytes] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.entries.delete(key);
      this.bytes -= bytes.length;
    }
  }
}
