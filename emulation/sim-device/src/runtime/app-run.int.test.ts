import { loadExampleApp, prepareModule, type LogRecord } from '@wasmbed/example-apps';
import { AppRun, type AppRunOptions } from './app-run';

const PAGE = 65_536;

function runApp(name: string, overrides: Partial<AppRunOptions> & { memoryLimitBytes?: number } = {}): { run: AppRun; logs: LogRecord[]; running: Promise<void> } {
  const prepared = prepareModule(loadExampleApp(name), { entryPoint: 'run', memoryLimitBytes: overrides.memoryLimitBytes ?? 4 * PAGE });
  const logs: LogRecord[] = [];
  let markRunning!: () => void;
  const running = new Promise<void>((resolve) => (markRunning = resolve));
  const run = new AppRun(
    { prepared, entryPoint: 'run', cpuTimeLimitMs: 2_000, ...overrides },
    { log: (record) => logs.push(record), running: markRunning },
  );
  return { run, logs, running };
}

describe('AppRun (one app in a worker thread)', () => {
  it('runs counter to completion and forwards its log lines', async () => {
    const { run, logs } = runApp('counter');
    await expect(run.outcome).resolves.toEqual({ state: 'stopped', reason: 'exited' });
    expect(logs.map((l) => l.message)).toEqual(['count 1', 'count 2', 'count 3', 'count 4', 'count 5']);
    expect(logs.every((l) => l.level === 'info')).toBe(true);
  });

  it('reports a trap as failed with the trap message', async () => {
    const { run, logs } = runApp('trap');
    const outcome = await run.outcome;
    expect(outcome).toMatchObject({ state: 'failed', reason: 'trap' });
    expect(outcome.state === 'failed' && outcome.message).toMatch(/unreachable/);
    expect(logs.map((l) => l.message)).toEqual(['about to trap']);
  });

  it('stops memory-hog at the memory limit: memory.grow returns -1 at the limit', async () => {
    const { run, logs } = runApp('memory-hog', { memoryLimitBytes: 3 * PAGE });
    const outcome = await run.outcome;
    expect(outcome).toMatchObject({ state: 'failed', reason: 'memory_limit' });
    expect(logs.map((l) => l.message)).toEqual([
      'memory pages: 1',
      'memory pages: 2',
      'memory pages: 3',
      'memory.grow refused at 3 pages; writing past the end',
    ]);
  });

  it('terminates busy-loop when it exceeds its CPU-time limit', async () => {
    const { run, logs } = runApp('busy-loop', { cpuTimeLimitMs: 300 });
    const outcome = await run.outcome;
    expect(outcome).toMatchObject({ state: 'failed', reason: 'cpu_time_limit' });
    expect(run.cpuTimeMs).toBeGreaterThanOrEqual(300);
    expect(logs.map((l) => l.message)).toEqual(['spinning without sleeping']);
  });

  it('does not count sleep as CPU time, and stop interrupts sleep_ms', async () => {
    // hello sleeps 1 s before its second reading: were sleep counted, a 900 ms limit would end it first.
    const { run, logs, running } = runApp('hello', { cpuTimeLimitMs: 900 });
    await running;
    while (logs.length < 2) await new Promise((r) => setTimeout(r, 10));
    await new Promise((r) => setTimeout(r, 600));
    await expect(run.stop()).resolves.toEqual({ state: 'stopped', reason: 'stop_requested' });
    expect(run.cpuTimeMs).toBeLessThan(900);
    expect(logs[0].message).toBe('Hello, Wasmbed!');
    expect(logs[1].message).toMatch(/^temperature \d+ m°C$/);
  });

  it('stops a busy app that never reaches sleep_ms by terminating its worker', async () => {
    const { run, running } = runApp('busy-loop', { cpuTimeLimitMs: 0, stopGraceMs: 50 });
    await running;
    await expect(run.stop()).resolves.toEqual({ state: 'stopped', reason: 'stop_requested' });
  });
});
