import type { AppOutcome, FailureReason, LogRecord } from '@wasmbed/example-apps';

/** What an app worker gets for one run (structured-cloned; the compiled module is shared, not recompiled). */
export interface AppWorkerData {
  readonly module: WebAssembly.Module;
  readonly entryPoint: string;
  readonly config: Readonly<Record<string, string>>;
  /** Initial and limit memory pages, to tell a trap at the memory limit from any other (docs/app-abi.md §5.1). */
  readonly memoryInitialPages: number;
  readonly memoryLimitPages: number;
  /** Seed of random_u32 for this run. */
  readonly randomSeed: number;
  /** ControlBlock buffer. */
  readonly control: SharedArrayBuffer;
}

/** Parent → worker: run this app to its outcome. */
export interface AppWorkerRequest {
  readonly type: 'run';
  readonly data: AppWorkerData;
}

export type AppWorkerMessage =
  | { readonly type: 'log'; readonly record: LogRecord }
  /** Instantiated; the entry point is being called. */
  | { readonly type: 'running' }
  | { readonly type: 'outcome'; readonly outcome: AppOutcome };

/** Why a run failed: the ABI's reasons, plus a worker that died for a reason of the host's own. */
export type RunFailureReason = FailureReason | 'worker_error';

export type RunOutcome =
  | Extract<AppOutcome, { readonly state: 'stopped' }>
  | { readonly state: 'failed'; readonly reason: RunFailureReason; readonly message: string };
