import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { forkWithRaisedFileLimit, hasExited, OutputTail, stopChild, track, waitForExit } from './children';
import { BenchProcessError } from './errors';
import { mergeConnect, mergeTraffic } from './merge-results';
import { splitEvenly } from './partition';
import type { ConnectResult, Target, TrafficResult, WorkerReply, WorkerRequest, WorkerResults } from './worker-messages';

type Kind = WorkerRequest['kind'];
type FieldsOf<K extends Kind> = Omit<Extract<WorkerRequest, { kind: K }>, 'id' | 'kind'>;

interface Worker {
  readonly child: ChildProcess;
  readonly tail: OutputTail;
  readonly pending: Map<number, { resolve: (value: unknown) => void; reject: (err: Error) => void }>;
}

/** The load-generator processes (load-worker.ts) of one bench run, driven together. */
export class WorkerPool {
  private nextId = 1;

  private constructor(
    private readonly workers: readonly Worker[],
    private readonly runSeedHex: string,
  ) {}

  static start(count: number, runSeedHex: string): WorkerPool {
    const workers = Array.from({ length: count }, (): Worker => {
      // Advanced serialization: latency samples travel as Float64Arrays, not JSON.
      const child = track(fork(join(__dirname, 'load-worker.js'), [], { ...forkWithRaisedFileLimit(), serialization: 'advanced', stdio: ['ignore', 'pipe', 'pipe', 'ipc'] }));
      const worker: Worker = { child, tail: new OutputTail().follow(child), pending: new Map() };
      child.on('message', (reply: WorkerReply) => {
        const waiter = worker.pending.get(reply.id);
        worker.pending.delete(reply.id);
        if (reply.ok) waiter?.resolve(reply.result);
        else waiter?.reject(new BenchProcessError(`load generator ${child.pid} failed: ${reply.error}`));
      });
      child.once('exit', (code, signal) => {
        const err = new BenchProcessError(`load generator ${child.pid} exited (code ${code}, signal ${signal})`, worker.tail.text());
        for (const waiter of worker.pending.values()) waiter.reject(err);
        worker.pending.clear();
      });
      return worker;
    });
    return new WorkerPool(workers, runSeedHex);
  }

  get size(): number {
    return this.workers.length;
  }

  /** Connects devices 0 .. count-1, split evenly over the processes, `concurrency` dialing at once in total. */
  async connect(target: Target, count: number, concurrency: number, heartbeatMs: number | null): Promise<ConnectResult> {
    const shares = splitEvenly(count, this.workers.length);
    const perWorker = Math.max(1, Math.ceil(concurrency / shares.length));
    const parts = await Promise.all(
      shares.map((share, i) =>
        this.request(this.workers[i]!, 'connect', {
          job: { target, runSeedHex: this.runSeedHex, first: share.first, count: share.count, concurrency: perWorker, heartbeatMs },
        }),
      ),
    );
    return mergeConnect(parts);
  }

  async startTraffic(floodWindow: number): Promise<void> {
    await Promise.all(this.workers.map((w) => this.request(w, 'traffic-start', { floodWindow })));
  }

  async stopTraffic(): Promise<TrafficResult> {
    return mergeTraffic(await Promise.all(this.workers.map((w) => this.request(w, 'traffic-stop', {}))));
  }

  async closeAll(): Promise<void> {
    await Promise.all(this.workers.map((w) => this.request(w, 'close', {})));
  }

  /** Disconnects the processes (they exit on disconnect); kills any that linger. */
  async stop(): Promise<void> {
    await Promise.all(
      this.workers.map(async ({ child }) => {
        if (hasExited(child)) return;
        if (child.connected) child.disconnect();
        if (!(await waitForExit(child, 5_000))) await stopChild(child, 5_000);
      }),
    );
  }

  private request<K extends Kind>(worker: Worker, kind: K, fields: FieldsOf<K>): Promise<WorkerResults[K]> {
    if (hasExited(worker.child)) return Promise.reject(new BenchProcessError(`load generator ${worker.child.pid} is not running`, worker.tail.text()));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      worker.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      worker.child.send({ ...fields, kind, id });
    });
  }
}
