import { availableParallelism } from 'node:os';
import type { ResourceLimits, Worker } from 'node:worker_threads';
import { DEFAULT_WORKER_RESOURCE_LIMITS, spawnAppWorker } from './app-worker-launch';

/**
 * Idle app workers of this process, kept for the next run. Why: booting a worker
 * thread is most of an app start (a Node environment, tens of ms of CPU), and a
 * fleet process simulates hundreds of devices, whose deploys would then cost the
 * host far more than the apps themselves. Isolation stays that of the runtime:
 * each run gets a fresh WebAssembly instance, memory (capped), imports and
 * control block, and a guest reaches nothing but its imports; the JS heap limit
 * is the worker's, so workers are pooled per limit. A worker is only taken back
 * after a run that ended by itself; one that was terminated (CPU-time limit, stop
 * deadline) or died (heap limit) is never reused.
 */
export class AppWorkerPool {
  private readonly idle = new Map<string, Worker[]>();
  private readonly idleTimers = new Map<Worker, NodeJS.Timeout>();
  private spawned = 0;

  /** Keeps at most `maxIdle` idle workers, each at most `idleMs` (then its memory goes back to the host). */
  constructor(
    readonly maxIdle: number,
    readonly idleMs = 10_000,
  ) {}

  /** Workers started so far (reused ones count once). */
  get started(): number {
    return this.spawned;
  }

  get idleCount(): number {
    let n = 0;
    for (const list of this.idle.values()) n += list.length;
    return n;
  }

  /** An idle worker with these limits, or a new one; it keeps the process alive until released. */
  acquire(resourceLimits: ResourceLimits = DEFAULT_WORKER_RESOURCE_LIMITS): Worker {
    const key = keyOf(resourceLimits);
    const worker = this.idle.get(key)?.pop() ?? this.start(resourceLimits);
    clearTimeout(this.idleTimers.get(worker));
    this.idleTimers.delete(worker);
    worker.removeAllListeners('exit');
    worker.ref();
    return worker;
  }

  /** Takes back a worker whose run ended by itself (its outcome posted); beyond maxIdle it is ended. */
  release(worker: Worker, resourceLimits: ResourceLimits = DEFAULT_WORKER_RESOURCE_LIMITS): void {
    worker.removeAllListeners('message');
    worker.removeAllListeners('error');
    worker.removeAllListeners('exit');
    if (this.idleCount >= this.maxIdle) {
      void worker.terminate();
      return;
    }
    const key = keyOf(resourceLimits);
    const list = this.idle.get(key) ?? [];
    list.push(worker);
    this.idle.set(key, list);
    worker.unref();
    // An idle worker that dies (it should not) must not be handed out.
    worker.once('exit', () => this.forget(key, worker));
    const timer = setTimeout(() => {
      this.forget(key, worker);
      void worker.terminate();
    }, this.idleMs);
    timer.unref();
    this.idleTimers.set(worker, timer);
  }

  /** Ends every idle worker. */
  async close(): Promise<void> {
    const all = [...this.idle.values()].flat();
    this.idle.clear();
    for (const timer of this.idleTimers.values()) clearTimeout(timer);
    this.idleTimers.clear();
    await Promise.all(all.map((w) => w.terminate()));
  }

  private start(resourceLimits: ResourceLimits): Worker {
    this.spawned += 1;
    return spawnAppWorker(resourceLimits);
  }

  private forget(key: string, worker: Worker): void {
    clearTimeout(this.idleTimers.get(worker));
    this.idleTimers.delete(worker);
    const list = this.idle.get(key);
    const i = list?.indexOf(worker) ?? -1;
    if (list && i >= 0) list.splice(i, 1);
  }
}

function keyOf(limits: ResourceLimits): string {
  return JSON.stringify([limits.maxOldGenerationSizeMb, limits.maxYoungGenerationSizeMb, limits.codeRangeSizeMb, limits.stackSizeMb]);
}

/** The pool of this process' app workers: every simulated device of the process shares its host. */
// Sized for bursts: a rollout has a run starting on every core while the previous ones still run
// (measured: 250 short runs, 2 cores: 66 workers booted with 4 kept idle, 24 with 64).
export const HOST_APP_WORKERS = new AppWorkerPool(Math.max(8, 16 * availableParallelism()));
