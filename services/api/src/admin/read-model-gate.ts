import { WasmbedError } from '@wasmbed/errors';

/** Queries refused while the read models are being rebuilt (they would see a partial model). */
export class ReadModelsRebuilding extends WasmbedError {
  readonly code = 'unavailable' as const;
  constructor(readonly since: string) {
    super(`the read models are being rebuilt (since ${since}); retry in a moment`, { since });
  }
}

/**
 * Closed while a rebuild replays the logs: every read-model query checks it
 * first. Listeners hear each change (health and readiness follow it).
 */
export class ReadModelGate {
  #closedSince: string | undefined;
  readonly #listeners = new Set<(open: boolean) => void>();

  get open(): boolean {
    return this.#closedSince === undefined;
  }

  /** Throws ReadModelsRebuilding while closed. */
  assertOpen(): void {
    if (this.#closedSince !== undefined) throw new ReadModelsRebuilding(this.#closedSince);
  }

  close(now: Date = new Date()): void {
    this.#closedSince = now.toISOString();
    this.#notify();
  }

  reopen(): void {
    this.#closedSince = undefined;
    this.#notify();
  }

  /** Returns the function that unsubscribes. */
  onChange(listener: (open: boolean) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #notify(): void {
    for (const listener of this.#listeners) listener(this.open);
  }
}
