interface Waiter {
  readonly context: string;
  readonly position: number;
  readonly resolve: () => void;
  readonly reject: (err: Error) => void;
  readonly timer: NodeJS.Timeout;
}

/** Callers parked until a context's checkpoint reaches a position (read-your-writes). */
export class PositionWaiters {
  readonly #waiters = new Set<Waiter>();

  /** Parks a caller; `onTimeout` builds the rejection when `timeoutMs` passes first. */
  wait(context: string, position: number, timeoutMs: number, onTimeout: () => Error): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        context,
        position,
        resolve,
        reject,
        timer: setTimeout(() => {
          this.#waiters.delete(waiter);
          reject(onTimeout());
        }, timeoutMs),
      };
      this.#waiters.add(waiter);
    });
  }

  advance(context: string, checkpoint: number): void {
    for (const waiter of this.#waiters) {
      if (waiter.context === context && waiter.position <= checkpoint) this.#settle(waiter).resolve();
    }
  }

  rejectAll(err: Error): void {
    for (const waiter of this.#waiters) this.#settle(waiter).reject(err);
  }

  get size(): number {
    return this.#waiters.size;
  }

  #settle(waiter: Waiter): Waiter {
    clearTimeout(waiter.timer);
    this.#waiters.delete(waiter);
    return waiter;
  }
}
