import { InvalidCommand, InvalidTransition } from '../shared/errors';
import { DeciderSpecification } from '../testing/decider-specification';
import { ACTOR, SHA_1, SHA_2, T0, at } from '../test-support/fixtures';
import {
  APP,
  STRATEGY,
  advance,
  cmd,
  create,
  deploy,
  failed,
  history,
  remove,
  running,
  specInput,
  started,
  stop,
  stopped,
  update,
} from '../test-support/application';
import { applicationDecider } from './decider';
import { RevisionNotFound } from './errors';
import type { ApplicationEvent } from './events';
import { deviceDeployment } from './state';

const spec = DeciderSpecification.for(applicationDecider);
const FLEET = ['d3', 'd1', 'd2', 'd4', 'd5'];

function rolloutStarted(rollout: number, revision: number, targets: string[], waves: string[][], now = T0, kind: 'deploy' | 'rollback' = 'deploy', strategy = STRATEGY): ApplicationEvent {
  return { type: 'RolloutStarted', data: { applicationId: APP, rollout, revision, kind, targets, waves, strategy, startedAt: now, startedBy: ACTOR } };
}
function waveStarted(rollout: number, waveIndex: number, devices: string[], now = T0): ApplicationEvent {
  return { type: 'WaveStarted', data: { applicationId: APP, rollout, waveIndex, devices, startedAt: now } };
}

describe('DeployApplication', () => {
  it('starts a rollout of the latest revision: canary first, then batches, over the sorted targets', () => {
    const state = spec
      .given(history(create()))
      .when(deploy(FLEET))
      .then([rolloutStarted(1, 1, ['d1', 'd2', 'd3', 'd4', 'd5'], [['d1'], ['d2', 'd3'], ['d4', 'd5']]), waveStarted(1, 0, ['d1'])]);
    expect(state).toMatchObject({
      phase: 'Deploying',
      rollout: { rollout: 1, revision: 1, status: 'InProgress', currentWave: 0, completedWaves: 0 },
      revisions: [{ rolloutStatus: 'InProgress' }],
    });
  });

  it('deploys the revision asked for', () => {
    spec
      .given(history(create(), update(specInput({}, SHA_2))))
      .when(deploy(['d1'], at(5), 1))
      .then([rolloutStarted(1, 1, ['d1'], [['d1']], at(5)), waveStarted(1, 0, ['d1'], at(5))]);
  });

  it('completes at once when there is no target', () => {
    const state = spec
      .given(history(create()))
      .when(deploy([]))
      .then([
        rolloutStarted(1, 1, [], []),
        { type: 'RolloutCompleted', data: { applicationId: APP, rollout: 1, revision: 1, phase: 'Running', running: 0, failed: 0, completedAt: T0 } },
      ]);
    expect(state).toMatchObject({ phase: 'Running', goodRevisions: [1] });
  });

  it('does nothing when asked again for the rollout under way', () => {
    spec.given(history(create(), deploy(FLEET))).when(deploy([...FLEET].reverse(), at(9))).thenNothingHappens();
  });

  it('does nothing when that revision already runs on exactly those targets', () => {
    spec.given(history(create(), deploy([]))).when(deploy([], at(9))).thenNothingHappens();
  });

  it('deploys again to retry the devices that failed (PartiallyRunning)', () => {
    const partial = history(
      create(specInput({ strategy: { ...STRATEGY, canary: 0, failureThreshold: 1 } })),
      deploy(['d1', 'd2']),
      running('d1', 1, SHA_1),
      failed('d2', 1),
      advance(1, 0, at(60)),
    );
    expect(partial.at(-1)).toMatchObject({ type: 'RolloutCompleted', data: { phase: 'PartiallyRunning' } });
    spec
      .given(partial)
      .when(deploy(['d1', 'd2'], at(100)))
      .then([
        rolloutStarted(2, 1, ['d1', 'd2'], [['d1', 'd2']], at(100), 'deploy', { ...STRATEGY, canary: 0, failureThreshold: 1 }),
        waveStarted(2, 0, ['d1', 'd2'], at(100)),
      ]);
  });

  it('starts again from Stopped', () => {
    const before = history(create(), deploy([]), stop(at(1)));
    spec.given(before).when(deploy(['d1'], at(2))).then([rolloutStarted(2, 1, ['d1'], [['d1']], at(2)), waveStarted(2, 0, ['d1'], at(2))]);
  });

  it('is an invalid transition while another rollout is under way', () => {
    spec
      .given(history(create(), deploy(FLEET)))
      .when(deploy(['d1']))
      .thenThrows(InvalidTransition, `cannot DeployApplication: application '${APP}' is Deploying (rollout 1 InProgress)`);
  });

  it.each([
    ['Stopping', [create(), deploy(['d1']), running('d1', 1, SHA_1), stop(at(1))]],
    ['Deleting', [create(), deploy(['d1']), running('d1', 1, SHA_1), remove(at(1))]],
    ['Deleted', [create(), remove(at(1))]],
  ] as const)('is an invalid transition while %s', (phase, commands) => {
    spec.given(history(...commands)).when(deploy(['d2'])).thenThrows(InvalidTransition, `is ${phase}`);
  });

  it('keeps the targets inside the deviceNames of the revision', () => {
    const named = create(specInput({ targets: { deviceNames: ['d1', 'd2'] } }));
    spec.given(history(named)).when(deploy(['d1'])).then([rolloutStarted(1, 1, ['d1'], [['d1']]), waveStarted(1, 0, ['d1'])]);
    const err = spec.given(history(named)).when(deploy(['d1', 'd3', 'd4'])).thenThrows(InvalidCommand);
    expect(err.message).toBe('invalid data.targets: d3, d4 not among the deviceNames of revision 1');
  });

  describe('with a strategy for this rollout only', () => {
    const override = { canary: 0, batchSize: { percent: 50 }, healthGateSeconds: 5, failureThreshold: { percent: 10 } };
    const deployWith = (targets: string[], strategy: unknown, now = T0) => cmd('DeployApplication', { applicationId: APP, targets, strategy } as never, now);

    it('plans the waves with it and records it on the rollout; the revision keeps its own', () => {
      const state = spec
        .given(history(create()))
        .when(deployWith(['d1', 'd2', 'd3'], override))
        .then([rolloutStarted(1, 1, ['d1', 'd2', 'd3'], [['d1', 'd2'], ['d3']], T0, 'deploy', override), waveStarted(1, 0, ['d1', 'd2'])]);
      expect(state.revisions[0].spec.strategy).toEqual(STRATEGY);
    });

    it('is the same request again when the rollout under way has that strategy, and refused with another one', () => {
      const underWay = history(create(), deployWith(FLEET, override));
      spec.given(underWay).when(deployWith(FLEET, override)).then([]);
      spec
        .given(underWay)
        .when(deploy(FLEET))
        .thenThrows(InvalidTransition, `cannot DeployApplication with another strategy: application '${APP}' is Deploying (rollout 1 InProgress); pause or roll back first`);
    });

    it.each([
      ['data.strategy', 'fast'],
      ['data.strategy.batchSize', { ...override, batchSize: 0 }],
      ['data.strategy.failureThreshold.percent', { ...override, failureThreshold: { percent: 101 } }],
    ])('rejects an invalid %s', (field, strategy) => {
      expect(spec.given(history(create())).when(deployWith(['d1'], strategy)).thenThrows(InvalidCommand).field).toBe(field);
    });
  });

  it('needs an existing revision', () => {
    spec.given(history(create())).when(deploy(['d1'], T0, 2)).thenThrows(RevisionNotFound, `application '${APP}' has no revision 2`);
  });

  it.each([
    ['data.targets', deploy('d1' as unknown as string[])],
    ['data.targets[1]', deploy(['d1', 'D2'])],
    ['data.revision', deploy(['d1'], T0, 0)],
  ])('rejects an invalid %s', (field, command) => {
    expect(spec.given(history(create())).when(command).thenThrows(InvalidCommand).field).toBe(field);
  });
});

describe('device outcomes', () => {
  const DEPLOYING = [create(), deploy(FLEET)];
  const base = { applicationId: APP, rollout: 1, revision: 1 };

  it('records a device starting to deploy', () => {
    const state = spec
      .given(history(...DEPLOYING))
      .when(started('d1', 1, at(1)))
      .then([{ type: 'DeviceDeploymentStarted', data: { ...base, device: 'd1', startedAt: at(1) } }]);
    expect(deviceDeployment(state, 'd1')).toEqual({ rollout: 1, revision: 1, status: 'Deploying', reason: null, since: at(1) });
  });

  it('ignores a repeated start, and a start reported after the outcome', () => {
    spec.given(history(...DEPLOYING, started('d1', 1))).when(started('d1', 1, at(2))).thenNothingHappens();
    spec.given(history(...DEPLOYING, running('d1', 1, SHA_1))).when(started('d1', 1, at(2))).thenNothingHappens();
  });

  it('records a device running the revision', () => {
    const state = spec
      .given(history(...DEPLOYING, started('d1', 1)))
      .when(running('d1', 1, SHA_1.toUpperCase(), at(3)))
      .then([{ type: 'DeviceRunning', data: { ...base, device: 'd1', sha256: SHA_1, runningAt: at(3) } }]);
    expect(deviceDeployment(state, 'd1')).toMatchObject({ status: 'Running', since: at(3) });
  });

  it('ignores a repeated running report', () => {
    spec.given(history(...DEPLOYING, running('d1', 1, SHA_1))).when(running('d1', 1, SHA_1, at(5))).thenNothingHappens();
  });

  it('refuses a running report for another module than the revision', () => {
    spec.given(history(...DEPLOYING)).when(running('d1', 1, SHA_2)).thenThrows(InvalidCommand, 'does not match the module of revision 1');
  });

  it('records a failed device within the threshold without failing the rollout', () => {
    const tolerant = create(specInput({ strategy: { ...STRATEGY, failureThreshold: 1 } }));
    const state = spec
      .given(history(tolerant, deploy(FLEET)))
      .when(failed('d1', 1, at(4)))
      .then([{ type: 'DeviceDeploymentFailed', data: { ...base, device: 'd1', reason: 'trap: out of bounds', failedAt: at(4) } }]);
    expect(state).toMatchObject({ phase: 'Deploying' });
    expect(deviceDeployment(state, 'd1')).toMatchObject({ status: 'Failed', reason: 'trap: out of bounds' });
  });

  it('ignores a repeated failure', () => {
    spec.given(history(create(specInput({ strategy: { ...STRATEGY, failureThreshold: 1 } })), deploy(FLEET), failed('d1', 1))).when(failed('d1', 1, at(9))).thenNothingHappens();
  });

  it('fails the rollout when a wave crosses its threshold, with nothing to roll back to', () => {
    const state = spec
      .given(history(...DEPLOYING))
      .when(failed('d1', 1, at(4)))
      .then([
        { type: 'DeviceDeploymentFailed', data: { ...base, device: 'd1', reason: 'trap: out of bounds', failedAt: at(4) } },
        {
          type: 'RolloutFailed',
          data: { ...base, waveIndex: 0, failedDevices: ['d1'], reason: '1 of 1 devices failed in wave 0 (at most 0 tolerated)', rollbackTo: null, failedAt: at(4) },
        },
      ]);
    expect(state).toMatchObject({ phase: 'Failed', rollout: { status: 'Failed' }, revisions: [{ rolloutStatus: 'Failed' }] });
  });

  it('counts failures per wave against a percentage threshold', () => {
    const half = create(specInput({ strategy: { canary: 0, batchSize: 4, healthGateSeconds: 0, failureThreshold: { percent: 50 } } }));
    const fleet = ['d1', 'd2', 'd3', 'd4'];
    spec.given(history(half, deploy(fleet), failed('d1', 1))).when(failed('d2', 1, at(1))).then([
      { type: 'DeviceDeploymentFailed', data: { ...base, device: 'd2', reason: 'trap: out of bounds', failedAt: at(1) } },
    ]);
    spec
      .given(history(half, deploy(fleet), failed('d1', 1), failed('d2', 1)))
      .when(failed('d3', 1, at(2)))
      .then([
        { type: 'DeviceDeploymentFailed', data: { ...base, device: 'd3', reason: 'trap: out of bounds', failedAt: at(2) } },
        {
          type: 'RolloutFailed',
          data: { ...base, waveIndex: 0, failedDevices: ['d1', 'd2', 'd3'], reason: '3 of 4 devices failed in wave 0 (at most 2 tolerated)', rollbackTo: null, failedAt: at(2) },
        },
      ]);
  });

  it('records a device that crashed after running', () => {
    const tolerant = create(specInput({ strategy: { ...STRATEGY, failureThreshold: 1 } }));
    spec
      .given(history(tolerant, deploy(FLEET), running('d1', 1, SHA_1)))
      .when(failed('d1', 1, at(30), 'watchdog'))
      .then([{ type: 'DeviceDeploymentFailed', data: { ...base, device: 'd1', reason: 'watchdog', failedAt: at(30) } }]);
  });

  it('keeps recording stragglers of a failed rollout without failing it twice', () => {
    const allAtOnce = create(specInput({ strategy: { canary: 0, batchSize: 5, healthGateSeconds: 0, failureThreshold: 0 } }));
    spec
      .given(history(allAtOnce, deploy(FLEET), failed('d1', 1)))
      .when(failed('d2', 1, at(3)))
      .then([{ type: 'DeviceDeploymentFailed', data: { ...base, device: 'd2', reason: 'trap: out of bounds', failedAt: at(3) } }]);
  });

  it('moves a completed application between Running and PartiallyRunning as devices fail and recover', () => {
    const done = [create(specInput({ strategy: undefined })), deploy(['d1', 'd2']), running('d1', 1, SHA_1), running('d2', 1, SHA_1), advance(1, 0, at(1))];
    const crashed = spec
      .given(history(...done))
      .when(failed('d2', 1, at(50), 'panic'))
      .then([{ type: 'DeviceDeploymentFailed', data: { ...base, device: 'd2', reason: 'panic', failedAt: at(50) } }]);
    expect(crashed).toMatchObject({ phase: 'PartiallyRunning', rollout: { status: 'Completed' } });
    const recovered = spec
      .given(history(...done, failed('d2', 1, at(50), 'panic')))
      .when(running('d2', 1, SHA_1, at(60)))
      .then([{ type: 'DeviceRunning', data: { ...base, device: 'd2', sha256: SHA_1, runningAt: at(60) } }]);
    expect(recovered).toMatchObject({ phase: 'Running' });
  });

  it('ignores a late report about the revision of an earlier rollout', () => {
    const v2 = [create(specInput({ strategy: undefined })), deploy(['d1']), running('d1', 1, SHA_1), advance(1, 0, at(1)), update(specInput({}, SHA_2)), deploy(['d1'], at(2))];
    spec.given(history(...v2)).when(failed('d1', 1, at(3))).thenNothingHappens();
  });

  it('refuses a device that is not a target of the rollout', () => {
    spec.given(history(...DEPLOYING)).when(running('d9', 1, SHA_1)).thenThrows(InvalidCommand, "'d9' is not a target of rollout 1");
  });

  it('needs an existing revision', () => {
    spec.given(history(...DEPLOYING)).when(started('d1', 7)).thenThrows(RevisionNotFound);
  });

  it.each([
    ['Creating', [create()]],
    ['Stopping', [create(), deploy(['d1']), running('d1', 1, SHA_1), stop(at(1))]],
    ['Stopped', [create(), deploy(['d1']), running('d1', 1, SHA_1), stop(at(1)), stopped('d1', at(2))]],
  ] as const)('is an invalid transition while %s', (phase, commands) => {
    spec.given(history(...commands)).when(running('d1', 1, SHA_1)).thenThrows(InvalidTransition, `cannot RecordDeviceRunning: application '${APP}' is ${phase}`);
  });

  it.each([
    ['data.device', started('D1', 1)],
    ['data.revision', started('d1', -1)],
    ['data.sha256', running('d1', 1, 'abc')],
    ['data.reason', failed('d1', 1, T0, '')],
  ])('rejects an invalid %s', (field, command) => {
    expect(spec.given(history(...DEPLOYING)).when(command).thenThrows(InvalidCommand).field).toBe(field);
  });
});
