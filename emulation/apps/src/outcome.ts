import { AppLoadError, AppStopRequested, CpuTimeLimitExceeded, HostTrap, type LoadFailureReason } from './errors';

export type FailureReason = LoadFailureReason | 'trap' | 'cpu_time_limit';

/** How one run of an app ended, as a device reports it. */
export type AppOutcome =
  | { readonly state: 'stopped'; readonly reason: 'exited' | 'stop_requested' }
  | { readonly state: 'failed'; readonly reason: FailureReason; readonly message: string };

export const EXITED: AppOutcome = { state: 'stopped', reason: 'exited' };

function errorName(err: unknown): string | undefined {
  // By name, not instanceof: the error may come from another realm (vm context, jest sandbox).
  return typeof err === 'object' && err !== null && 'name' in err && typeof err.name === 'string' ? err.name : undefined;
}

function messageOf(err: unknown): string {
  return typeof err === 'object' && err !== null && 'message' in err ? String(err.message) : String(err);
}

/** Memory sizes in pages when a run ended. */
export interface MemoryAtEnd {
  readonly currentPages: number;
  readonly initialPages: number;
  /** The host's memory limit in pages. */
  readonly limitPages: number;
}

/**
 * A trap after the app grew its memory up to the host's limit is reported as
 * memory_limit: the app needed more memory than it was allowed (typically
 * memory.grow returned -1 and the app went on past the end). Without growth
 * during the run, or below the limit, a trap stays a trap.
 */
export function attributeMemoryLimit(outcome: AppOutcome, memory: MemoryAtEnd): AppOutcome {
  const { currentPages, initialPages, limitPages } = memory;
  if (outcome.state !== 'failed' || outcome.reason !== 'trap' || currentPages !== limitPages || currentPages <= initialPages) {
    return outcome;
  }
  return { state: 'failed', reason: 'memory_limit', message: `${outcome.message} (memory at its limit of ${limitPages} pages)` };
}

/**
 * The outcome for an exception that ended a load or a run. WebAssembly traps,
 * host traps and call-stack exhaustion (a trap in the spec, a RangeError in
 * V8) fail the app; anything else is a host bug and is rethrown.
 */
export function outcomeOf(err: unknown): AppOutcome {
  if (err instanceof AppStopRequested) return { state: 'stopped', reason: 'stop_requested' };
  if (err instanceof AppLoadError) return { state: 'failed', reason: err.reason, message: err.message };
  if (err instanceof CpuTimeLimitExceeded) return { state: 'failed', reason: 'cpu_time_limit', message: err.message };
  if (err instanceof HostTrap) return { state: 'failed', reason: 'trap', message: err.message };
  const name = errorName(err);
  if (name === 'RuntimeError' || (name === 'RangeError' && /call stack/i.test(messageOf(err)))) {
    return { state: 'failed', reason: 'trap', message: messageOf(err) };
  }
  throw err;
}
