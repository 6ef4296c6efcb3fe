import type { LogRecord } from '@wasmbed/example-apps';
import { MAX_REASON_BYTES, type AppState, type ErrorInfo, type ProtocolErrorCode } from '@wasmbed/protocol';
import { Backoff } from '../support/backoff';
import { clipUtf8 } from '../support/clip-utf8';
import { AppRun, type AppRunOptions } from './app-run';
import type { RunFailureReason, RunOutcome } from './app-worker-protocol';
import type { RestartPolicy } from './restart-policy';
import { HOST_WORKER_STARTS, type WorkerStartGate } from './worker-start-gate';

export interface AppStatusChange {
  readonly state: AppState;
  readonly restarts: number;
  readonly error?: ErrorInfo;
}

export interface AppSupervisorListener {
  status(change: AppStatusChange): void;
  log(record: LogRecord): void;
}

/** How a first start ended: running, or failed before the entry point was called. */
export type StartResult = { readonly ok: true } | { readonly ok: false; readonly error: ErrorInfo };

const ERROR_CODES: Record<RunFailureReason, ProtocolErrorCode> = {
  trap: 'trap',
  cpu_time_limit: 'limit_exceeded',
  memory_limit: 'limit_exceeded',
  invalid_module: 'instantiate_failed',
  missing_host_function: 'missing_host_function',
  worker_error: 'internal',
};

/**
 * The wire error of a failed run. The protocol's codes are coarser than the
 * runtime's reasons (cpu_time_limit and memory_limit are both limit_exceeded),
 * so the message starts with the precise reason.
 */
export function errorInfoOf(outcome: Extract<RunOutcome, { state: 'failed' }>): ErrorInfo {
  return { code: ERROR_CODES[outcome.reason], message: clipUtf8(`${outcome.reason}: ${outcome.message}`, MAX_REASON_BYTES) };
}

/**
 * Runs one deployed app, each run in a fresh worker, and applies the restart
 * policy: when a run ends by itself (failed, or the entry point returned) and
 * autoRestart is set, it waits a backoff delay and starts a new run, up to
 * maxRestarts times. A stop never restarts, nor does an app that failed before
 * its entry point ran: the same module would fail the same way.
 */
export class AppSupervisor {
  private current?: AppRun;
  private restartTimer?: NodeJS.Timeout;
  private stopping = false;
  private restartCount = 0;
  private status?: AppStatusChange;
  private readonly backoff: Backoff;
  private runStartedAt = 0;
  private settled?: Promise<void>;

  constructor(
    private readonly run: AppRunOptions,
    private readonly policy: RestartPolicy,
    private readonly listener: AppSupervisorListener,
    /** Shared by the apps of every device of the process (see WorkerStartGate). */
    private readonly starts: WorkerStartGate = HOST_WORKER_STARTS,
  ) {
    this.backoff = new Backoff(policy.backoff);
  }

  get state(): AppStatusChange {
    return this.status ?? { state: 'starting', restarts: 0 };
  }

  get restarts(): number {
    return this.restartCount;
  }

  /** Starts the first run; resolves once it is running or has failed to start. */
  start(): Promise<StartResult> {
    return new Promise((resolve) => this.launch(resolve));
  }

  /** Ends the app (and any pending restart); resolves when its worker is gone. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.restartTimer);
    const run = this.current;
    if (run) {
      await run.stop();
      await this.settled;
    }
    // Whatever it was doing (even waiting to restart after a failure), a stopped app is stopped.
    this.report({ state: 'stopped', restarts: this.restartCount });
  }

  private launch(firstStart?: (result: StartResult) => void): void {
    this.report({ state: 'starting', restarts: this.restartCount });
    // While waiting for a turn the app is starting; a stop meanwhile means it never starts.
    this.settled = this.starts.acquire().then((release) => {
      if (this.stopping) {
        release();
        firstStart?.({ ok: false, error: { code: 'internal', message: 'stopped before its entry point was called' } });
        return;
      }
      return this.startRun(release, firstStart);
    });
  }

  private startRun(release: () => void, firstStart?: (result: StartResult) => void): Promise<void> {
    let running = false;
    // Each run gets its own random_u32 sequence, reproducible when the device has a seed.
    const randomSeed = this.run.randomSeed === undefined ? undefined : (this.run.randomSeed + this.restartCount) >>> 0;
    const run = new AppRun({ ...this.run, randomSeed }, {
      log: (record) => this.listener.log(record),
      running: () => {
        release();
        running = true;
        this.runStartedAt = performance.now();
        if (!this.stopping) this.report({ state: 'running', restarts: this.restartCount });
        firstStart?.({ ok: true });
      },
    });
    this.current = run;
    return run.outcome.then((outcome) => {
      release();
      this.current = undefined;
      if (outcome.state === 'stopped') {
        this.report({ state: 'stopped', restarts: this.restartCount });
        if (!running) firstStart?.({ ok: false, error: { code: 'internal', message: 'stopped before its entry point was called' } });
      } else {
        const error = errorInfoOf(outcome);
        this.report({ state: 'failed', restarts: this.restartCount, error });
        if (!running) firstStart?.({ ok: false, error });
      }
      if (running && !(outcome.state === 'stopped' && outcome.reason === 'stop_requested')) {
        this.backoff.connectionEnded(performance.now() - this.runStartedAt);
        this.maybeRestart();
      }
    });
  }

  private maybeRestart(): void {
    if (this.stopping || !this.policy.autoRestart || this.restartCount >= this.policy.maxRestarts) return;
    this.restartTimer = setTimeout(() => {
      if (this.stopping) return;
      this.restartCount += 1;
      this.launch();
    }, this.backoff.nextDelayMs());
    this.restartTimer.unref();
  }

  /** Tells the listener about a change of state, restart count or error; repeats are swallowed. */
  private report(status: AppStatusChange): void {
    const last = this.status;
    this.status = status;
    if (last && last.state === status.state && last.restarts === status.restarts && last.error === status.error) return;
    this.listener.status(status);
  }
}
