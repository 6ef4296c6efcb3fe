import { Application, ApplicationPhase, ChangeKind, RolloutPhase, type ApplicationChange, type RolloutStatus } from '@wasmbed/proto';
import { RolloutTracker } from './rollout-tracker';

function rollout(phase: RolloutPhase, over: Partial<RolloutStatus> = {}): RolloutStatus {
  return {
    phase,
    currentWave: 0,
    waves: [{ index: 0, devices: ['d1'] }, { index: 1, devices: ['d2', 'd3'] }],
    counts: { pending: 2, deploying: 1, running: 0, failed: 0, stopped: 0 },
    failingDevices: [],
    message: '',
    ...over,
  };
}

function change(deployedRevision: number, rollouts: Record<number, RolloutStatus>, over: { position?: number; phase?: ApplicationPhase; kind?: ChangeKind; name?: string } = {}): ApplicationChange {
  return {
    kind: over.kind ?? ChangeKind.CHANGE_KIND_MODIFIED,
    position: over.position ?? 10,
    application: Application.fromPartial({
      name: over.name ?? 'hello',
      phase: over.phase ?? ApplicationPhase.APPLICATION_PHASE_DEPLOYING,
      latestRevision: 2,
      deployedRevision,
      revisions: [1, 2].map((revision) => ({ revision, rollout: rollouts[revision] })),
    }),
  };
}

describe('RolloutTracker', () => {
  it('ignores other applications and changes older than the deploy', () => {
    const tracker = new RolloutTracker('hello', { revision: 2, minPosition: 10 });
    expect(tracker.observe(change(2, { 2: rollout(RolloutPhase.ROLLOUT_PHASE_COMPLETED) }, { name: 'other' }))).toBeUndefined();
    // The previous rollout of revision 2 completed; this deploy's has not started to show yet.
    expect(tracker.observe(change(2, { 2: rollout(RolloutPhase.ROLLOUT_PHASE_COMPLETED) }, { position: 9 }))).toBeUndefined();
  });

  it('reports progress until the rollout completes (success)', () => {
    const tracker = new RolloutTracker('hello');
    const first = tracker.observe(change(2, { 2: rollout(RolloutPhase.ROLLOUT_PHASE_IN_PROGRESS, { currentWave: 1 }) }));
    expect(first?.verdict).toBeUndefined();
    expect(first?.progress).toMatchObject({ application: 'hello', revision: 2, phase: 'in_progress', wave: 1, waves: 2 });
    const done = tracker.observe(
      change(2, { 2: rollout(RolloutPhase.ROLLOUT_PHASE_COMPLETED, { counts: { pending: 0, deploying: 0, running: 3, failed: 0, stopped: 0 } }) }, { phase: ApplicationPhase.APPLICATION_PHASE_RUNNING }),
    );
    expect(done?.verdict).toEqual({ ok: true, message: 'rollout of hello revision 2 completed (running, 3 running)' });
  });

  it('ends in failure as soon as the tracked rollout fails, before the rollback to another revision', () => {
    const tracker = new RolloutTracker('hello');
    tracker.observe(change(2, { 2: rollout(RolloutPhase.ROLLOUT_PHASE_IN_PROGRESS) }));
    const failed = tracker.observe(change(1, { 2: rollout(RolloutPhase.ROLLOUT_PHASE_FAILED, { message: 'd1 trapped' }), 1: rollout(RolloutPhase.ROLLOUT_PHASE_IN_PROGRESS) }));
    expect(failed?.verdict).toEqual({ ok: false, message: 'rollout of hello revision 2 failed: d1 trapped' });
  });

  it('fails on a rollback, a stop and a deletion', () => {
    expect(new RolloutTracker('hello').observe(change(2, { 2: rollout(RolloutPhase.ROLLOUT_PHASE_ROLLED_BACK) }))?.verdict?.ok).toBe(false);
    const stopping = new RolloutTracker('hello').observe(change(2, { 2: rollout(RolloutPhase.ROLLOUT_PHASE_PAUSED) }, { phase: ApplicationPhase.APPLICATION_PHASE_STOPPING }));
    expect(stopping?.verdict).toEqual({ ok: false, message: 'application hello is stopping; the rollout will not finish' });
    const deleted = new RolloutTracker('hello').observe(change(2, {}, { kind: ChangeKind.CHANGE_KIND_DELETED }));
    expect(deleted?.verdict).toEqual({ ok: false, message: 'application hello was deleted' });
  });

  it('waits for a first rollout when the application was never deployed', () => {
    const tracker = new RolloutTracker('hello');
    expect(tracker.observe(change(0, {}, { phase: ApplicationPhase.APPLICATION_PHASE_CREATING }))).toEqual({
      waiting: 'application hello has never been deployed; waiting for a rollout',
    });
    expect(tracker.observe(change(1, { 1: rollout(RolloutPhase.ROLLOUT_PHASE_PAUSED) }))?.progress?.phase).toBe('paused');
  });
});
