import { loadExampleApp, prepareModule, type LogRecord } from '@wasmbed/example-apps';
import { AppRun, type AppRunOptions } from './app-run';
import { AppWorkerPool } from './app-worker-pool';

const PAGE = 65_536;

function runApp(pool: AppWorkerPool, name: string, overrides: Partial<AppRunOptions> & { memoryLimitBytes?: number } = {}) {
  const prepared = prepareModule(loadExampleApp(name), { entryPoint: 'run', memoryLimitBytes: overrides.memoryLimitBytes ?? 4 * PAGE });
  const logs: LogRecord[] = [];
  let markRunning!: () => void;
  const running = new Promise<void>((resolve) => (markRunning = resolve));
  const run = new AppRun({ prepared, entryPoint: 'run', cpuTimeLimitMs: 2_000, workers: pool, ...overrides }, { log: (r) => logs.push(r), running: markRunning });
  return { run, logs, running, messages: () => logs.map((l) => l.message) };
}

const COUNTER = ['count 1', 'count 2', 'count 3', 'count 4', 'count 5'];

describe('AppWorkerPool (app runs reuse worker threads, real workers)', () => {
  let pool: AppWorkerPool;
  beforeEach(() => (pool = new AppWorkerPool(4)));
  afterEach(() => pool.close());

  it('runs app after app in one worker, each from a fresh instance', async () => {
    for (let i = 0; i < 3; i++) {
      const app = runApp(pool, 'counter');
      await expect(app.run.outcome).resolves.toEqual({ state: 'stopped', reason: 'exited' });
      expect(app.messages()).toEqual(COUNTER);
    }
    expect(pool.started).toBe(1);
    expect(pool.idleCount).toBe(1);
  });

  it('a worker that ran a trap or hit the memory limit serves the next app as new', async () => {
    await expect(runApp(pool, 'trap').run.outcome).resolves.toMatchObject({ state: 'failed', reason: 'trap' });
    const hog = runApp(pool, 'memory-hog', { memoryLimitBytes: 3 * PAGE });
    await expect(hog.run.outcome).resolves.toMatchObject({ state: 'failed', reason: 'memory_limit' });
    // The next app gets its own memory at its own limit, not what the hog grew.
    const again = runApp(pool, 'memory-hog', { memoryLimitBytes: 2 * PAGE });
    await expect(again.run.outcome).resolves.toMatchObject({ state: 'failed', reason: 'memory_limit' });
    expect(again.messages()).toEqual(['memory pages: 1', 'memory pages: 2', 'memory.grow refused at 2 pages; writing past the end']);
    expect(pool.started).toBe(1);
  });

  it('never reuses a worker it had to terminate (CPU-time limit, stop deadline)', async () => {
    await expect(runApp(pool, 'busy-loop', { cpuTimeLimitMs: 200 }).run.outcome).resolves.toMatchObject({ reason: 'cpu_time_limit' });
    expect(pool.idleCount).toBe(0);
    const busy = runApp(pool, 'busy-loop', { cpuTimeLimitMs: 0, stopGraceMs: 50 });
    await busy.running;
    await expect(busy.run.stop()).resolves.toEqual({ state: 'stopped', reason: 'stop_requested' });
    expect(pool.idleCount).toBe(0);
    const next = runApp(pool, 'counter');
    await expect(next.run.outcome).resolves.toEqual({ state: 'stopped', reason: 'exited' });
    expect(pool.started).toBe(3);
  });

  it('stopping a run that already ended leaves its worker, now serving another app, alone', async () => {
    const first = runApp(pool, 'counter');
    await first.run.outcome;
    const second = runApp(pool, 'hello', { cpuTimeLimitMs: 0 });
    await second.running;
    await first.run.stop();
    await new Promise((r) => setTimeout(r, 100));
    await expect(second.run.stop()).resolves.toEqual({ state: 'stopped', reason: 'stop_requested' });
    expect(second.messages()[0]).toBe('Hello, Wasmbed!');
    expect(pool.started).toBe(1);
  });

  it('ends a worker idle longer than idleMs', async () => {
    const brief = new AppWorkerPool(4, 100);
    try {
      await runApp(brief, 'counter').run.outcome;
      expect(brief.idleCount).toBe(1);
      await new Promise((r) => setTimeout(r, 300));
      expect(brief.idleCount).toBe(0);
      await runApp(brief, 'counter').run.outcome;
      expect(brief.started).toBe(2);
    } finally {
      await brief.close();
    }
  });

  it('keeps at most maxIdle workers', async () => {
    const small = new AppWorkerPool(1);
    try {
      const apps = [runApp(small, 'counter'), runApp(small, 'counter')];
      await Promise.all(apps.map((a) => a.run.outcome));
      expect(small.started).toBe(2);
      expect(small.idleCount).toBe(1);
    } finally {
      await small.close();
    }
  });
});
