import { availableParallelism } from 'node:os';

/**
 * Bounds how many app workers of this process are starting at once (created,
 * entry point not yet called). Why: a fleet process simulates many devices on
 * one host, and each app start is a new thread booting Node (tens of ms of CPU).
 * Hundreds starting together make hundreds of runnable threads, and the
 * scheduler, fair per thread, then starves every single-threaded process on
 * the machine (gateway, NATS, controllers) for tens of seconds: sessions time out
 * and rollouts fail for reasons real devices, each with its own CPU, never have.
 * Starts beyond the bound wait their turn in order; it costs no throughput, as
 * more starts than cores only share the same cores. Each app still runs in its
 * own worker with its own limits.
 */
export class WorkerStartGate {
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError('limit must be a positive integer');
  }

  /** Starts waiting for a turn (none waiting once it is granted). */
  get queued(): number {
    return this.waiting.length;
  }

  get starting(): number {
    return this.active;
  }

  /** Resolves with the turn's release (idempotent) once fewer than `limit` starts are under way. */
  acquire(): Promise<() => void> {
    return new Promise((resolve) => {
      const grant = () => {
        this.active += 1;
        let released = false;
        resolve(() => {
          if (released) return;
          released = true;
          this.active -= 1;
          this.waiting.shift()?.();
        });
      };
      if (this.active < this.limit) grant();
      else this.waiting.push(grant);
    });
  }
}

/**
 * The gate of this process' app workers: every simulated device of the process
 * shares the host's cores. Four starts per core: a worker's boot also waits (module
 * loading), and on a busy machine a gate of one per core left a fleet of 100 too
 * little of the CPU to start its apps within an e2e deploy timeout of 20 s.
 */
export const HOST_WORKER_STARTS = new WorkerStartGate(Math.max(4, 4 * availableParallelism()));
