import type { ResourceLimits, Worker } from 'node:worker_threads';
import { randomInt } from 'node:crypto';
import type { LogRecord, PreparedModule } from '@wasmbed/example-apps';
import { HOST_APP_WORKERS, type AppWorkerPool } from './app-worker-pool';
import type { AppWorkerMessage, AppWorkerRequest, RunOutcome } from './app-worker-protocol';
import { ControlBlock } from './control-block';

export interface AppRunOptions {
  /** Checked and compiled with its memory maximum capped (prepareModule). */
  readonly prepared: Pick<PreparedModule, 'module' | 'memoryLimitPages' | 'info'>;
  readonly entryPoint: string;
  readonly config?: Readonly<Record<string, string>>;
  /** Guest execution time after which the worker is terminated; 0 = no limit. */
  readonly cpuTimeLimitMs: number;
  /** Seed of random_u32; default an unpredictable one per run (docs/app-abi.md §2.6). */
  readonly randomSeed?: number;
  readonly resourceLimits?: ResourceLimits;
  /** How long stop() lets a busy app reach its next sleep_ms before the worker is terminated. Default 250. */
  readonly stopGraceMs?: number;
  /** Where the worker comes from and goes back to; default the process' pool. */
  readonly workers?: AppWorkerPool;
}

export interface AppRunListener {
  log(record: LogRecord): void;
  /** Instantiation succeeded and the entry point was called. */
  running(): void;
}

/**
 * One execution of an app in a worker thread of its own for the run, from
 * instantiation to an outcome. The worker cannot be trusted to stop itself (a
 * loop that never calls the host), so the CPU-time limit and the stop deadline
 * are enforced from here by terminating the thread, which V8 can do even in the
 * middle of WebAssembly. A run that ended by itself gives its worker back to the
 * pool; a terminated one is gone with its worker.
 */
export class AppRun {
  readonly outcome: Promise<RunOutcome>;
  private readonly control = new ControlBlock();
  private readonly worker: Worker;
  private reported?: RunOutcome;
  private forced?: RunOutcome;
  private workerError?: Error;
  private stopTimer?: NodeJS.Timeout;
  private watchdog?: NodeJS.Timeout;
  private readonly stopGraceMs: number;
  private terminating = false;
  /** The run has its outcome: the worker may serve another run now and is not ours to stop. */
  private done = false;

  constructor(options: AppRunOptions, listener: AppRunListener) {
    const pool = options.workers ?? HOST_APP_WORKERS;
    this.worker = pool.acquire(options.resourceLimits);
    let finish!: (outcome: RunOutcome) => void;
    this.outcome = new Promise((resolve) => (finish = resolve));
    const settle = (): void => {
      this.done = true;
      clearTimeout(this.watchdog);
      clearTimeout(this.stopTimer);
    };
    this.worker.on('message', (message: AppWorkerMessage) => {
      if (message.type === 'log') listener.log(message.record);
      else if (message.type === 'running') listener.running();
      else {
        this.reported = message.outcome;
        // Ended by itself: the worker is clean and idle again. Once a termination is under way, its exit settles the run.
        if (this.terminating) return;
        settle();
        pool.release(this.worker, options.resourceLimits);
        finish(this.forced ?? message.outcome);
      }
    });
    this.worker.on('error', (err) => {
      this.workerError = err;
    });
    this.worker.once('exit', (code) => {
      settle();
      finish(this.forced ?? this.reported ?? this.failure(code));
    });
    const request: AppWorkerRequest = {
      type: 'run',
      data: {
        module: options.prepared.module,
        entryPoint: options.entryPoint,
        config: options.config ?? {},
        memoryInitialPages: options.prepared.info.memories[0]?.initialPages ?? 0,
        memoryLimitPages: options.prepared.memoryLimitPages,
        randomSeed: options.randomSeed ?? randomInt(2 ** 32),
        control: this.control.buffer,
      },
    };
    this.worker.postMessage(request);
    if (options.cpuTimeLimitMs > 0) this.watch(options.cpuTimeLimitMs);
    this.stopGraceMs = options.stopGraceMs ?? 250;
  }

  /** Guest execution time so far (sleeps excluded). */
  get cpuTimeMs(): number {
    return this.control.executedMs();
  }

  /** Interrupts sleep_ms so the app ends as stopped; terminates it if it does not get there within the grace period. */
  stop(): Promise<RunOutcome> {
    if (!this.done && !this.control.stopRequested) {
      this.control.requestStop();
      this.stopTimer = setTimeout(() => {
        this.forced ??= { state: 'stopped', reason: 'stop_requested' };
        this.terminate();
      }, this.stopGraceMs);
    }
    return this.outcome;
  }

  /**
   * Checks the CPU time when the limit could first be reached (the remaining
   * allowance from now), so a busy app is ended within a few ms of its limit
   * while a sleeping one costs a wakeup now and then. Capped at 1 s between checks.
   */
  private watch(limitMs: number): void {
    const used = this.control.executedMs();
    if (used > limitMs) {
      this.forced ??= { state: 'failed', reason: 'cpu_time_limit', message: `CPU-time limit of ${limitMs} ms exceeded (${Math.round(used)} ms executed)` };
      this.terminate();
      return;
    }
    this.watchdog = setTimeout(() => this.watch(limitMs), Math.min(1_000, Math.max(1, Math.ceil(limitMs - used) + 1)));
    this.watchdog.unref();
  }

  private terminate(): void {
    if (this.done) return;
    this.terminating = true;
    void this.worker.terminate();
  }

  private failure(exitCode: number): RunOutcome {
    const err = this.workerError as (Error & { code?: string }) | undefined;
    if (err?.code === 'ERR_WORKER_OUT_OF_MEMORY') {
      return { state: 'failed', reason: 'worker_error', message: `app worker exhausted its JS heap limit: ${err.message}` };
    }
    return { state: 'failed', reason: 'worker_error', message: err ? `app worker failed: ${err.message}` : `app worker exited with code ${exitCode}` };
  }
}
