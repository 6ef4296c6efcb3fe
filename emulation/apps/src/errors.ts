import { WasmbedError } from '@wasmbed/errors';

/** Why a module could not be started; the outcome reason a host reports. */
export type LoadFailureReason = 'invalid_module' | 'missing_host_function' | 'memory_limit';

/** A module was refused before its entry point ran. */
export abstract class AppLoadError extends WasmbedError {
  abstract readonly reason: LoadFailureReason;
}

/** Not a WebAssembly MVP module following the Wasmbed ABI (bad import, missing export, post-MVP feature...). */
export class InvalidModule extends AppLoadError {
  readonly code = 'invalid_argument' as const;
  readonly reason = 'invalid_module' as const;
  constructor(message: string, details: Record<string, unknown> = {}) {
    super(message, details);
  }
}

/** The module imports a host function this host does not offer. */
export class MissingHostFunction extends AppLoadError {
  readonly code = 'failed_precondition' as const;
  readonly reason = 'missing_host_function' as const;
  constructor(readonly missing: readonly string[]) {
    super(`host does not offer ${missing.join(', ')}`, { missing });
  }
}

/** The module's initial memory is larger than the memory limit. */
export class MemoryLimitExceeded extends AppLoadError {
  readonly code = 'resource_exhausted' as const;
  readonly reason = 'memory_limit' as const;
  constructor(readonly initialPages: number, readonly limitPages: number) {
    super(`module needs ${initialPages} pages of memory initially, the limit is ${limitPages}`, { initialPages, limitPages });
  }
}

/** A host function refused its arguments; like any trap, it ends the app as failed. */
export class HostTrap extends WasmbedError {
  readonly code = 'invalid_argument' as const;
  constructor(readonly hostFunction: string, message: string) {
    super(`${hostFunction}: ${message}`, { hostFunction });
  }
}

/** The app used up its CPU-time limit and was terminated. */
export class CpuTimeLimitExceeded extends WasmbedError {
  readonly code = 'resource_exhausted' as const;
  constructor(readonly limitMs: number) {
    super(`CPU-time limit of ${limitMs} ms exceeded`, { limitMs });
  }
}

/**
 * Thrown by a host's hooks (typically from sleep_ms) to unwind a running app
 * when a stop was requested; the app ends as stopped, not failed.
 */
export class AppStopRequested extends WasmbedError {
  readonly code = 'unavailable' as const;
  constructor() {
    super('stop requested');
  }
}

/** loadExampleApp found no built module. */
export class ExampleAppNotBuilt extends WasmbedError {
  readonly code = 'failed_precondition' as const;
  constructor(readonly path: string) {
    super(`example app not built: ${path} is missing; run \`npm run build -w @wasmbed/example-apps\``, { path });
  }
}

export class UnknownExampleApp extends WasmbedError {
  readonly code = 'not_found' as const;
  constructor(readonly appName: string) {
    super(`no example app named ${JSON.stringify(appName)}`, { appName });
  }
}
