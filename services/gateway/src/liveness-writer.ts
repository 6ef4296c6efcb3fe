import type { LivenessRecord, LivenessStore } from '@wasmbed/device-bus';

/**
 * Writes one session's liveness record, at most one write in flight: records
 * arriving meanwhile collapse into the newest, so a slow bucket never piles up
 * writes behind a chatty device. Each write() resolves once its record, or a
 * newer one, is stored.
 */
export class LivenessWriter {
  private inFlight?: Promise<void>;
  private next?: { record: LivenessRecord; waiters: { resolve: () => void; reject: (err: unknown) => void }[] };

  constructor(private readonly store: Pick<LivenessStore, 'put'>) {}

  write(record: LivenessRecord): Promise<void> {
    if (this.inFlight === undefined) {
      this.inFlight = this.run(record);
      return this.inFlight;
    }
    return new Promise((resolve, reject) => {
      this.next = { record, waiters: [...(this.next?.waiters ?? []), { resolve, reject }] };
    });
  }

  /** Resolves when nothing is being written. */
  async idle(): Promise<void> {
    while (this.inFlight !== undefined) await this.inFlight.catch(() => undefined);
  }

  private async run(record: LivenessRecord): Promise<void> {
    try {
      await this.store.put(record);
    } finally {
      const queued = this.next;
      this.next = undefined;
      this.inFlight = queued === undefined ? undefined : this.run(queued.record);
      if (queued !== undefined) {
        this.inFlight!.then(
          () => queued.waiters.forEach((w) => w.resolve()),
          (err: unknown) => queued.waiters.forEach((w) => w.reject(err)),
        );
      }
    }
  }
}
