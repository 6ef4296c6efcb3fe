import { WasmbedError } from '@wasmbed/errors';

/** The nats-server binary could not be executed. */
export class NatsServerNotFoundError extends WasmbedError {
  readonly code = 'failed_precondition' as const;
  constructor(readonly binary: string, options?: { cause?: unknown }) {
    super(
      `nats-server binary "${binary}" not found. Install it (e.g. \`apt-get install nats-server\`) ` +
        'or point WASMBED_NATS_SERVER_BIN at the executable.',
      { binary },
      options,
    );
  }
}

/** nats-server exited or did not become ready in time; `log` holds its last output lines. */
export class NatsServerStartError extends WasmbedError {
  readonly code = 'unavailable' as const;
  constructor(message: string, readonly log: string) {
    super(`${message}\n--- nats-server output (tail) ---\n${log}`, { log });
  }
}

/** A service process exited or did not listen in time; the message carries its output. */
export class ServiceStartError extends WasmbedError {
  readonly code = 'unavailable' as const;
  constructor(message: string) {
    super(message);
  }
}
