import type { ApplicationSpecInput } from '@wasmbed/domain';
import { APP, AppHistory, SETTINGS, SHA_1, SHA_2, at, attempt, attested, commands, deploys, specInput, viewOf } from '../test-support/views';
import { attemptKey, commandMemoKey, type ControllerView } from '../view/types';
import type { Action } from './actions';
import { deployScope } from './attempts';
import { plan } from './plan';

const oneByOne: ApplicationSpecInput['strategy'] = { canary: 1, batchSize: 1, healthGateSeconds: 0, failureThreshold: 0 };
const v1 = specInput({ targets: { deviceNames: ['d1', 'd2'] }, strategy: oneByOne });
const v2 = specInput({ targets: { deviceNames: ['d1', 'd2'] }, strategy: oneByOne }, SHA_2);

/** Revision 1 completed on d1 and d2; revision 2 deployed at 100 s and d1 (its canary) failed at 103 s. */
function failedCanary() {
  return AppHistory.created(v1)
    .run('DeployApplication', { targets: ['d1', 'd2'] }, at(1))
    .run('RecordDeviceRunning', { device: 'd1', revision: 1, sha256: SHA_1 }, at(2))
    .run('AdvanceWave', { rollout: 1, waveIndex: 0 }, at(3))
    .run('RecordDeviceRunning', { device: 'd2', revision: 1, sha256: SHA_1 }, at(4))
    .run('AdvanceWave', { rollout: 1, waveIndex: 1 }, at(5))
    .run('UpdateApplication', { spec: v2 }, at(99))
    .run('DeployApplication', { targets: ['d1', 'd2'] }, at(100))
    .run('RecordDeviceDeploymentStarted', { device: 'd1', revision: 2 }, at(101))
    .run('RecordDeviceFailed', { device: 'd1', revision: 2, reason: 'app failed: trap: unreachable' }, at(103));
}
const onV1 = attested([[APP, 1, SHA_1, 'running', at(2)]]);
const trapped = attested([[APP, 2, SHA_2, 'failed', at(103)]]);

describe('automatic rollback', () => {
  it('answers a RolloutFailed that names a revision with RollbackRollout { automatic: true }', () => {
    const history = failedCanary();
    expect(history.app.phase).toBe('Failed');
    expect(history.entry().lastFailure?.rollbackTo).toBe(1);
    expect(commands(plan(viewOf({ apps: [history], attested: { d1: trapped, d2: onV1 } }), at(103), SETTINGS))).toEqual([
      {
        type: 'RollbackRollout',
        data: { applicationId: APP, automatic: true, reason: 'automatic rollback: 1 of 1 devices failed in wave 0 (at most 0 tolerated)' },
      },
    ]);
  });

  it('runs the rollback rollout through the same machinery: the failed device gets the old revision, the others are left alone', () => {
    const rollingBack = failedCanary().run('RollbackRollout', { reason: 'automatic rollback', automatic: true }, at(104));
    expect(rollingBack.app.rollout).toMatchObject({ rollout: 3, kind: 'rollback', revision: 1, waves: [['d1']] });
    expect(plan(viewOf({ apps: [rollingBack], attested: { d1: trapped, d2: onV1 } }), at(104), SETTINGS)).toEqual([
      { kind: 'deploy', appId: APP, device: 'd1', rollout: 3, revision: 1, recordStarted: true, purpose: 'rollout' },
    ]);
  });

  it('does nothing when the failed rollout was itself a rollback (no ping-pong)', () => {
    const doubleFault = failedCanary()
      .run('RollbackRollout', { reason: 'automatic rollback', automatic: true }, at(104))
      .run('RecordDeviceFailed', { device: 'd1', revision: 1, reason: 'app failed: trap' }, at(106));
    expect(doubleFault.app).toMatchObject({ phase: 'Failed', rollout: { kind: 'rollback', status: 'Failed' } });
    expect(plan(viewOf({ apps: [doubleFault], attested: { d1: trapped, d2: onV1 } }), at(110), SETTINGS)).toEqual([]);
  });
});

it('plans nothing for an application created but never deployed, or stopped', () => {
  const created = AppHistory.created(v1);
  const stopped = AppHistory.created(v1, 'other').run('DeployApplication', { targets: [] }, at(1)).run('StopApplication', {}, at(2));
  expect(stopped.app.phase).toBe('Stopped');
  expect(plan(viewOf({ apps: [created, stopped], attested: { d1: onV1 } }), at(50), SETTINGS)).toEqual([]);
});

it('plans every application of the view', () => {
  const a = AppHistory.created(v1, 'app-a').run('DeployApplication', { targets: ['d1', 'd2'] }, at(1));
  const b = AppHistory.created(v1, 'app-b').run('DeployApplication', { targets: ['d1', 'd2'] }, at(1));
  expect(deploys(plan(viewOf({ apps: [a, b] }), at(1), SETTINGS)).map((d) => [d.appId, d.device])).toEqual([
    ['app-a', 'd1'],
    ['app-b', 'd1'],
  ]);
});

/** What the executor writes into the view before it does anything asynchronous. */
function markInFlight(view: ControllerView, actions: Action[]): ControllerView {
  const attempts = new Map(view.attempts);
  const memos = new Map(view.commands);
  for (const action of actions) {
    if (action.kind === 'command') {
      memos.set(commandMemoKey(action.appId, action.key), {
        appId: action.appId,
        inFlight: true,
        plannedAtVersion: action.plannedAtVersion,
        outcome: null,
        resultVersion: action.plannedAtVersion,
        finishedAt: 0,
        misses: 0,
      });
    } else {
      const scope = action.kind === 'deploy' ? deployScope(action.rollout) : action.scope;
      attempts.set(attemptKey(action.kind, action.appId, action.device), attempt(action.kind, scope, { appId: action.appId, inFlight: true }));
    }
  }
  return { ...view, attempts, commands: memos };
}

it('is idempotent: once the executor has taken the actions, planning the same view again gives none', () => {
  const scenarios: ControllerView[] = [
    viewOf({ apps: [failedCanary()], attested: { d1: trapped, d2: onV1 } }),
    viewOf({ apps: [failedCanary().run('RollbackRollout', { reason: 'r', automatic: true }, at(104))], attested: { d1: trapped, d2: onV1 } }),
    viewOf({ apps: [AppHistory.created(v1).run('DeployApplication', { targets: ['d1', 'd2'] }, at(1))], attested: { d1: attested(), d2: attested() } }),
    viewOf({
      apps: [AppHistory.created(v1).run('DeployApplication', { targets: ['d1', 'd2'] }, at(1)).run('RecordDeviceDeploymentStarted', { device: 'd1', revision: 1 }, at(2))],
      attested: { d1: onV1 },
    }),
    viewOf({
      apps: [
        AppHistory.created(v1)
          .run('DeployApplication', { targets: ['d1', 'd2'] }, at(1))
          .run('RecordDeviceRunning', { device: 'd1', revision: 1, sha256: SHA_1 }, at(2))
          .run('DeleteApplication', {}, at(5)),
      ],
      attested: { d1: onV1 },
    }),
  ];
  for (const [i, view] of scenarios.entries()) {
    const first = plan(view, at(400), SETTINGS);
    expect([i, first.length > 0]).toEqual([i, true]);
    expect([i, plan(markInFlight(view, first), at(400), SETTINGS)]).toEqual([i, []]);
  }
});
