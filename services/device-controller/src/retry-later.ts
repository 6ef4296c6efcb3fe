import type { Logger } from '@wasmbed/service-kit';

/**
 * Runs `attempt` after `delayMs`, and again after each failure, until it succeeds or
 * `stopped()` turns true: for a watch or subscription that must come back by itself.
 */
export function retryLater(what: string, attempt: () => Promise<void>, options: { delayMs: number; stopped: () => boolean; logger: Logger }): void {
  setTimeout(() => {
    if (options.stopped()) return;
    attempt().catch((err: unknown) => {
      options.logger.warn(`${what} failed; retrying`, { error: err, retryInMs: options.delayMs });
      retryLater(what, attempt, options);
    });
  }, options.delayMs).unref();
}
