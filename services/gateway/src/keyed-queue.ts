/**
 * Runs async steps one after another per key (a device), in call order, with no
 * ordering between keys. Two sessions of one device therefore write the event
 * log in the order they happened: the old session's DeviceConnected can never
 * land after the new one's.
 */
export class KeyedQueue {
  private readonly tails = new Map<string, Promise<void>>();

  /** Queues `step` behind the key's earlier steps; resolves (never rejects) when it has run. */
  run(key: string, step: () => Promise<void>, onError: (err: unknown) => void): Promise<void> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const tail = previous.then(step).catch(onError);
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return tail;
  }

  /** Keys with steps queued or running. */
  get size(): number {
    return this.tails.size;
  }
}
