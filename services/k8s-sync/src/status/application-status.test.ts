import { Application, ApplicationPhase, RolloutPhase, type ApplicationRevision, type RolloutStatus } from '@wasmbed/proto';
import { canonicalJson } from './canonical-json';
import { moduleSha256Of, projectApplicationStatus } from './application-status';

const UPDATED = new Date('2024-05-01T08:00:00Z');
const names = (n: number) => Array.from({ length: n }, (_, i) => `device-${String(i).padStart(5, '0')}`);

function rollout(overrides: Partial<RolloutStatus> = {}): RolloutStatus {
  return {
    phase: RolloutPhase.ROLLOUT_PHASE_COMPLETED,
    currentWave: 0,
    waves: [{ index: 0, devices: names(3) }],
    counts: { pending: 0, deploying: 0, running: 3, failed: 0, stopped: 0 },
    failingDevices: [],
    message: '',
    startedAt: new Date('2024-05-01T07:00:00Z'),
    finishedAt: new Date('2024-05-01T07:01:00Z'),
    ...overrides,
  };
}

function revision(n: number, ro?: RolloutStatus): ApplicationRevision {
  return { revision: n, spec: { module: { sha256: Buffer.alloc(32, n), sizeBytes: 10, source: undefined }, manifestSignature: Buffer.alloc(64), publisherKey: Buffer.alloc(32), entryPoint: '_start', requiredHostFunctions: [] }, createdAt: UPDATED, rollout: ro };
}

const application = (overrides: Partial<Application>): Application =>
  Application.fromPartial({ name: 'app', phase: ApplicationPhase.APPLICATION_PHASE_RUNNING, latestRevision: 1, deployedRevision: 1, revisions: [revision(1, rollout())], createdAt: UPDATED, updatedAt: UPDATED, ...overrides });

const conditionsOf = (status: ReturnType<typeof projectApplicationStatus>) => Object.fromEntries(status.conditions.map((c) => [c.type, [c.status, c.reason]]));

describe('projectApplicationStatus', () => {
  it('shows a running application: ready devices, the revision summary and Available', () => {
    const status = projectApplicationStatus(application({}), { observedGeneration: 4 });
    expect(status).toMatchObject({
      phase: 'Running',
      observedGeneration: 4,
      latestRevision: 1,
      deployedRevision: 1,
      moduleSha256: '01'.repeat(32),
      readyDevices: '3/3',
      revisions: [
        { revision: 1, phase: 'Completed', wave: '1/1', counts: { pending: 0, deploying: 0, running: 3, failed: 0, stopped: 0 }, startedAt: '2024-05-01T07:00:00Z', finishedAt: '2024-05-01T07:01:00Z' },
      ],
      failingDevices: [],
      failingDevicesTotal: 0,
    });
    expect(conditionsOf(status)).toEqual({ Available: ['True', 'AllDevicesRunning'], Progressing: ['False', 'RolloutCompleted'], Degraded: ['False', 'AsExpected'] });
    expect(status.conditions[0]).toEqual({
      type: 'Available',
      status: 'True',
      reason: 'AllDevicesRunning',
      message: '3/3 devices run revision 1',
      lastTransitionTime: '2024-05-01T08:00:00Z',
      observedGeneration: 4,
    });
  });

  it('shows a rollout in progress by wave, and a paused one as not progressing', () => {
    const inProgress = rollout({
      phase: RolloutPhase.ROLLOUT_PHASE_IN_PROGRESS,
      currentWave: 1,
      waves: [0, 1, 2].map((index) => ({ index, devices: [] })),
      counts: { pending: 4, deploying: 2, running: 3, failed: 0, stopped: 0 },
      finishedAt: undefined,
    });
    const deploying = application({ phase: ApplicationPhase.APPLICATION_PHASE_DEPLOYING, latestRevision: 2, deployedRevision: 2, revisions: [revision(1, rollout()), revision(2, inProgress)] });
    const status = projectApplicationStatus(deploying);
    expect(status.readyDevices).toBe('3/9');
    expect(status.revisions.map((r) => [r.revision, r.phase, r.wave])).toEqual([
      [1, 'Completed', '1/1'],
      [2, 'InProgress', '2/3'],
    ]);
    expect(conditionsOf(status)).toEqual({ Available: ['True', 'RolloutInProgress'], Progressing: ['True', 'RolloutInProgress'], Degraded: ['False', 'AsExpected'] });
    const paused = projectApplicationStatus(
      application({ ...deploying, revisions: [revision(1, rollout()), revision(2, { ...inProgress, phase: RolloutPhase.ROLLOUT_PHASE_PAUSED, message: 'operator paused' })] }),
    );
    expect(paused.conditions.find((c) => c.type === 'Progressing')).toMatchObject({ status: 'False', reason: 'RolloutPaused', message: 'operator paused' });
  });

  it('reports failed devices, earliest failure first, and Degraded', () => {
    const failing = [
      { device: 'late', reason: 'trap', failedAt: new Date('2024-05-01T07:00:03Z') },
      { device: 'early', reason: 'bad signature', failedAt: new Date('2024-05-01T07:00:01Z') },
    ];
    const status = projectApplicationStatus(
      application({
        phase: ApplicationPhase.APPLICATION_PHASE_PARTIALLY_RUNNING,
        revisions: [revision(1, rollout({ counts: { pending: 0, deploying: 0, running: 1, failed: 2, stopped: 0 }, failingDevices: failing }))],
      }),
    );
    expect(status.failingDevices).toEqual([
      { device: 'early', reason: 'bad signature' },
      { device: 'late', reason: 'trap' },
    ]);
    expect(status.failingDevicesTotal).toBe(2);
    expect(conditionsOf(status)).toEqual({ Available: ['True', 'PartiallyRunning'], Progressing: ['False', 'RolloutCompleted'], Degraded: ['True', 'DevicesFailed'] });
    expect(status.conditions.find((c) => c.type === 'Degraded')?.message).toBe('2 devices failed (early, late)');
  });

  it('marks an automatic rollback as Degraded while the old revision runs again', () => {
    const status = projectApplicationStatus(
      application({
        latestRevision: 2,
        deployedRevision: 1,
        revisions: [revision(1, rollout()), revision(2, rollout({ phase: RolloutPhase.ROLLOUT_PHASE_ROLLED_BACK, message: 'wave 0: 2 failed > threshold 0' }))],
      }),
    );
    expect(status.conditions.find((c) => c.type === 'Degraded')).toMatchObject({ status: 'True', reason: 'RolledBack', message: 'revision 2 was rolled back: wave 0: 2 failed > threshold 0' });
    expect(status.moduleSha256).toBe('01'.repeat(32));
  });

  it('describes an application never deployed, failed, or stopping', () => {
    const created = projectApplicationStatus(application({ phase: ApplicationPhase.APPLICATION_PHASE_CREATING, deployedRevision: 0, revisions: [revision(1)] }));
    expect(created).toMatchObject({ phase: 'Creating', deployedRevision: 0, readyDevices: '0/0', revisions: [], failingDevicesTotal: 0 });
    expect(created).not.toHaveProperty('moduleSha256');
    expect(conditionsOf(created)).toEqual({ Available: ['False', 'NotDeployed'], Progressing: ['False', 'NotDeployed'], Degraded: ['False', 'AsExpected'] });
    const failed = projectApplicationStatus(application({ phase: ApplicationPhase.APPLICATION_PHASE_FAILED, revisions: [revision(1, rollout({ phase: RolloutPhase.ROLLOUT_PHASE_FAILED, message: 'no good revision' }))] }));
    expect(failed.conditions.find((c) => c.type === 'Degraded')).toMatchObject({ status: 'True', reason: 'RolloutFailed', message: 'no good revision' });
    expect(conditionsOf(projectApplicationStatus(application({ phase: ApplicationPhase.APPLICATION_PHASE_STOPPING })))).toMatchObject({ Progressing: ['True', 'Stopping'] });
  });

  it('passes the sync’s Synced condition through, first', () => {
    const synced = { type: 'Synced', status: 'False' as const, reason: 'CommandRefused', message: 'UpdateApplication: bad signature', lastTransitionTime: '2024-05-01T09:00:00Z' };
    const status = projectApplicationStatus(application({}), { conditions: [synced] });
    expect(status.conditions[0]).toEqual(synced);
    expect(status.conditions.map((c) => c.type)).toEqual(['Synced', 'Available', 'Progressing', 'Degraded']);
  });

  it('stays far under the object size limit for 10,000 targets that all failed, across many revisions', () => {
    const all = names(10_000);
    const failing = all.map((device, i) => ({ device, reason: `deploy timed out: ${'no answer from the device '.repeat(40)}`, failedAt: new Date(1_700_000_000_000 + i) }));
    const big = rollout({
      phase: RolloutPhase.ROLLOUT_PHASE_FAILED,
      waves: [{ index: 0, devices: all.slice(0, 100) }, { index: 1, devices: all.slice(100) }],
      counts: { pending: 0, deploying: 0, running: 0, failed: 10_000, stopped: 0 },
      failingDevices: failing,
      message: 'x'.repeat(5_000),
    });
    const app = application({
      phase: ApplicationPhase.APPLICATION_PHASE_FAILED,
      latestRevision: 8,
      deployedRevision: 8,
      revisions: Array.from({ length: 8 }, (_, i) => revision(i + 1, big)),
    });
    const synced = { type: 'Synced', status: 'True' as const, reason: 'Applied', message: 'y'.repeat(10_000), lastTransitionTime: '2024-05-01T09:00:00Z' };
    const status = projectApplicationStatus(app, { conditions: [synced], observedGeneration: 12 });
    const bytes = Buffer.byteLength(canonicalJson(status));
    expect(bytes).toBeLessThan(8 * 1024);
    expect(status.failingDevices).toHaveLength(10);
    expect(status.failingDevices[0].device).toBe('device-00000');
    expect(status.failingDevicesTotal).toBe(10_000);
    expect(status.revisions.map((r) => r.revision)).toEqual([6, 7, 8]);
    expect(status.readyDevices).toBe('0/10000');
  });

  it('honours smaller limits', () => {
    const failing = names(30).map((device) => ({ device, reason: 'x', failedAt: UPDATED }));
    const status = projectApplicationStatus(application({ revisions: [revision(1, rollout({ failingDevices: failing }))] }), { maxFailingDevices: 2, maxRevisions: 0 });
    expect(status.failingDevices).toHaveLength(2);
    expect(status.failingDevicesTotal).toBe(30);
    expect(status.revisions).toEqual([]);
  });
});

describe('moduleSha256Of', () => {
  it('gives the hex hash of a revision’s module, or undefined', () => {
    const app = application({ revisions: [revision(1), revision(2)] });
    expect(moduleSha256Of(app, 2)).toBe('02'.repeat(32));
    expect(moduleSha256Of(app, 3)).toBeUndefined();
  });
});
