import type { EventStore, EventTypeRegistry } from '@wasmbed/event-log';
import type { ContractStore } from './contract-setup';

/** What each group of contract tests gets from the suite. */
export interface ContractHarness {
  /** A store built with FULL_REGISTRY, shared by the tests of the suite. */
  store(): EventStore;
  /** Another store over the same storage; the caller tears it down. */
  open(registry: EventTypeRegistry): Promise<ContractStore>;
}

/** Awaits a rejection and returns the error, failing the test if the promise resolves. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  throw new Error('expected the promise to reject, but it resolved');
}

/** Collects an async iterable. */
export async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

/** Resolves when `predicate` holds, polling; rejects after `timeoutMs`. */
export async function eventually(predicate: () => boolean, timeoutMs = 10_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
