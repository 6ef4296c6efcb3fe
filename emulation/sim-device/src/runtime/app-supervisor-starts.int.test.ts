import { loadExampleApp, prepareModule } from '@wasmbed/example-apps';
import { AppSupervisor, type AppStatusChange } from './app-supervisor';
import { DEFAULT_RESTART_POLICY } from './restart-policy';
import { WorkerStartGate } from './worker-start-gate';

const prepared = prepareModule(loadExampleApp('counter'), { entryPoint: 'run', memoryLimitBytes: 4 * 65_536 });

function supervisor(gate: WorkerStartGate, onStatus: (s: AppStatusChange) => void = () => undefined): { sup: AppSupervisor; logs: string[] } {
  const logs: string[] = [];
  const sup = new AppSupervisor({ prepared, entryPoint: 'run', cpuTimeLimitMs: 5_000 }, DEFAULT_RESTART_POLICY, { status: onStatus, log: (r) => logs.push(r.message) }, gate);
  return { sup, logs };
}

describe('AppSupervisor with a worker start gate (real workers)', () => {
  it('never has more workers starting than the gate allows, and starts every app', async () => {
    const gate = new WorkerStartGate(2);
    let most = 0;
    const watch = () => (most = Math.max(most, gate.starting));
    const apps = Array.from({ length: 6 }, () => supervisor(gate, watch));
    const results = await Promise.all(apps.map((a) => a.sup.start()));
    expect(results.every((r) => r.ok)).toBe(true);
    expect(most).toBe(2);
    await Promise.all(apps.map((a) => a.sup.stop()));
    expect(gate.starting).toBe(0);
  });

  it('an app stopped while waiting for its turn never starts a worker', async () => {
    const gate = new WorkerStartGate(1);
    const first = supervisor(gate);
    const queued = supervisor(gate);
    const firstStarted = first.sup.start();
    const queuedStarted = queued.sup.start();
    expect(gate.queued).toBe(1);
    await queued.sup.stop();
    expect(queued.sup.state.state).toBe('stopped');
    await expect(firstStarted).resolves.toEqual({ ok: true });
    await expect(queuedStarted).resolves.toMatchObject({ ok: false });
    await first.sup.stop();
    expect(queued.logs).toEqual([]);
    expect(gate.starting).toBe(0);
  });
});
