import { backoffMs, decideLifecycle, initialLifecycle, type Lifecycle, type LifecycleDecision, type LifecycleEvent, type RestartPolicy } from './lifecycle';

const policy: RestartPolicy = { maxRestarts: 2, backoffBaseMs: 100, backoffMaxMs: 300, stableAfterMs: 10_000 };

function accepted(decision: LifecycleDecision) {
  if (!decision.ok) throw new Error(`refused: ${decision.action} while ${decision.phase}`);
  return decision;
}

/** Applies events in order, each must be accepted; returns the last decision. */
function run(events: LifecycleEvent[], from: Lifecycle = initialLifecycle('emu-1')) {
  let state = from;
  let last: LifecycleDecision | undefined;
  for (const event of events) {
    last = accepted(decideLifecycle(state, event, policy));
    state = last.state;
  }
  return { state, effects: last?.ok ? last.effects : [] };
}

const crash = (runNo: number, uptimeMs = 50, permanent = false): LifecycleEvent => ({ type: 'RunEnded', run: runNo, end: { reason: `boom ${runNo}`, uptimeMs, permanent } });

describe('device lifecycle', () => {
  it('starts Creating, and creation launches run 1 (or stays Stopped when asked)', () => {
    expect(initialLifecycle('emu-1')).toMatchObject({ phase: 'Creating', run: 0 });
    expect(run([{ type: 'Created', start: true }])).toEqual({
      state: expect.objectContaining({ phase: 'Running', run: 1, crashes: 0 }),
      effects: [{ type: 'launch', run: 1 }],
    });
    expect(run([{ type: 'Created', start: false }])).toEqual({ state: expect.objectContaining({ phase: 'Stopped', run: 0 }), effects: [] });
  });

  it('a failed creation is Deleted with its reason, and its files are cleaned up', () => {
    expect(run([{ type: 'CreateFailed', reason: 'api unavailable' }])).toEqual({
      state: expect.objectContaining({ phase: 'Deleted', reason: 'api unavailable' }),
      effects: [{ type: 'cleanup' }],
    });
  });

  it('refuses operator requests while Creating, and creation events afterwards', () => {
    const creating = initialLifecycle('emu-1');
    for (const type of ['StartRequested', 'StopRequested', 'RestartRequested', 'DeleteRequested'] as const) {
      expect(decideLifecycle(creating, { type }, policy)).toEqual({ ok: false, action: expect.any(String), phase: 'Creating' });
    }
    const running = run([{ type: 'Created', start: true }]).state;
    expect(decideLifecycle(running, { type: 'Created', start: true }, policy).ok).toBe(false);
    expect(decideLifecycle(running, { type: 'CreateFailed', reason: 'x' }, policy).ok).toBe(false);
  });

  it('stop terminates the current run; start launches a new one; both are idempotent', () => {
    const stopped = run([{ type: 'Created', start: true }, { type: 'StopRequested' }]);
    expect(stopped).toEqual({ state: expect.objectContaining({ phase: 'Stopped', run: 1 }), effects: [{ type: 'terminate', run: 1 }] });
    expect(run([{ type: 'StopRequested' }], stopped.state)).toEqual({ state: stopped.state, effects: [] });
    const started = run([{ type: 'StartRequested' }], stopped.state);
    expect(started).toEqual({ state: expect.objectContaining({ phase: 'Running', run: 2 }), effects: [{ type: 'cancelRestart' }, { type: 'launch', run: 2 }] });
    expect(run([{ type: 'StartRequested' }], started.state)).toEqual({ state: started.state, effects: [] });
  });

  it('restart replaces a running run with a new one', () => {
    expect(run([{ type: 'Created', start: true }, { type: 'RestartRequested' }])).toEqual({
      state: expect.objectContaining({ phase: 'Running', run: 2, restarts: 0 }),
      effects: [
        { type: 'terminate', run: 1 },
        { type: 'launch', run: 2 },
      ],
    });
  });

  it('a crash schedules a restart with doubling backoff, capped, until maxRestarts is used up', () => {
    let s = run([{ type: 'Created', start: true }, crash(1)]);
    expect(s).toEqual({
      state: expect.objectContaining({ phase: 'Crashed', crashes: 1, restartInMs: 100, reason: 'boom 1' }),
      effects: [
        { type: 'terminate', run: 1 },
        { type: 'scheduleRestart', run: 1, delayMs: 100 },
      ],
    });
    s = run([{ type: 'RestartDue', run: 1 }], s.state);
    expect(s).toEqual({ state: expect.objectContaining({ phase: 'Running', run: 2, restarts: 1, crashes: 1 }), effects: [{ type: 'launch', run: 2 }] });
    s = run([crash(2)], s.state);
    expect(s.state).toMatchObject({ phase: 'Crashed', crashes: 2, restartInMs: 200 });
    s = run([{ type: 'RestartDue', run: 2 }, crash(3)], s.state);
    // Third consecutive crash with maxRestarts 2: no more restarts.
    expect(s.state).toMatchObject({ phase: 'Crashed', crashes: 3, restartInMs: null, restarts: 2 });
    expect(s.state.reason).toBe('boom 3; not restarted: 2 restart(s) after consecutive crashes did not help');
    expect(s.effects).toEqual([{ type: 'terminate', run: 3 }]);
    expect(backoffMs(policy, 1)).toBe(100);
    expect(backoffMs(policy, 2)).toBe(200);
    expect(backoffMs(policy, 5)).toBe(300);
  });

  it('a run that lasted stableAfterMs counts as a first crash again', () => {
    let s = run([{ type: 'Created', start: true }, crash(1), { type: 'RestartDue', run: 1 }, crash(2)]);
    expect(s.state.crashes).toBe(2);
    s = run([{ type: 'RestartDue', run: 2 }, crash(3, 10_000)], s.state);
    expect(s.state).toMatchObject({ phase: 'Crashed', crashes: 1, restartInMs: 100 });
  });

  it('a permanent failure is not restarted', () => {
    const s = run([{ type: 'Created', start: true }, crash(1, 5, true)]);
    expect(s.state).toMatchObject({ phase: 'Crashed', restartInMs: null, reason: 'boom 1; not restarted: a restart cannot fix this' });
    expect(s.effects).toEqual([{ type: 'terminate', run: 1 }]);
  });

  it('ignores the end of a run it already stopped or replaced, and a stale restart timer', () => {
    const stopped = run([{ type: 'Created', start: true }, { type: 'StopRequested' }]).state;
    expect(run([crash(1)], stopped)).toEqual({ state: stopped, effects: [] });
    const restarted = run([{ type: 'Created', start: true }, { type: 'RestartRequested' }]).state;
    expect(run([crash(1)], restarted)).toEqual({ state: restarted, effects: [] });
    const crashed = run([{ type: 'Created', start: true }, crash(1)]).state;
    const stoppedAfterCrash = run([{ type: 'StopRequested' }], crashed);
    expect(stoppedAfterCrash.effects).toEqual([{ type: 'cancelRestart' }]);
    expect(run([{ type: 'RestartDue', run: 1 }], stoppedAfterCrash.state)).toEqual({ state: stoppedAfterCrash.state, effects: [] });
  });

  it('an operator start after a crash starts the crash count over', () => {
    const crashed = run([{ type: 'Created', start: true }, crash(1), { type: 'RestartDue', run: 1 }, crash(2)]).state;
    expect(run([{ type: 'StartRequested' }], crashed)).toEqual({
      state: expect.objectContaining({ phase: 'Running', run: 3, crashes: 0, restartInMs: null, reason: null }),
      effects: [{ type: 'cancelRestart' }, { type: 'launch', run: 3 }],
    });
  });

  it('delete terminates or cancels, then cleans up; deleting twice changes nothing', () => {
    const running = run([{ type: 'Created', start: true }]).state;
    expect(run([{ type: 'DeleteRequested' }], running)).toEqual({
      state: expect.objectContaining({ phase: 'Deleted' }),
      effects: [{ type: 'terminate', run: 1 }, { type: 'cleanup' }],
    });
    const crashed = run([crash(1)], running);
    const deleted = run([{ type: 'DeleteRequested' }], crashed.state);
    expect(deleted.effects).toEqual([{ type: 'cancelRestart' }, { type: 'cleanup' }]);
    expect(run([{ type: 'DeleteRequested' }], deleted.state)).toEqual({ state: deleted.state, effects: [] });
    for (const type of ['StartRequested', 'StopRequested', 'RestartRequested'] as const) {
      expect(decideLifecycle(deleted.state, { type }, policy)).toMatchObject({ ok: false, phase: 'Deleted' });
    }
  });
});
