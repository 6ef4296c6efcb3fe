import { InvalidCommand, InvalidTransition } from '../shared/errors';
import { DeciderSpecification } from '../testing/decider-specification';
import { ACTOR, SHA_1, SHA_2, SHA_3, T0, at } from '../test-support/fixtures';
import {
  APP,
  STRATEGY,
  V1_GOOD_V2_CREATED,
  advance,
  allRunning,
  cmd,
  create,
  deploy,
  failed,
  history,
  pause,
  rollback,
  running,
  specInput,
  stop,
  update,
} from '../test-support/application';
import type { ApplicationCommand } from './commands';
import { applicationDecider } from './decider';
import { NoRollbackTarget } from './errors';
import type { ApplicationEvent } from './events';

const spec = DeciderSpecification.for(applicationDecider);
const FLEET = ['d1', 'd2', 'd3'];
const V1_GOOD = V1_GOOD_V2_CREATED;
/** Rollout 2 of revision 2: the canary d1 is deploying it. */
const V2_CANARY: ApplicationCommand[] = [...V1_GOOD, deploy(FLEET, at(300))];

function rolledBack(automatic: boolean, now = at(400), reason = 'bad release'): ApplicationEvent {
  return {
    type: 'RolloutRolledBack',
    data: { applicationId: APP, rollout: 2, revision: 2, toRevision: 1, reason, automatic, rolledBackAt: now, rolledBackBy: ACTOR },
  };
}

function rollbackStarted(waves: string[][], now = at(400)): ApplicationEvent {
  return {
    type: 'RolloutStarted',
    data: {
      applicationId: APP,
      rollout: 3,
      revision: 1,
      kind: 'rollback',
      targets: FLEET,
      waves,
      strategy: { ...STRATEGY, canary: 0, batchSize: { percent: 100 } },
      startedAt: now,
      startedBy: ACTOR,
    },
  };
}

describe('RollbackRollout', () => {
  it('names the last good revision when a wave crosses its threshold', () => {
    const events = history(...V2_CANARY, failed('d1', 2, at(310)));
    expect(events.at(-1)).toMatchObject({ type: 'RolloutFailed', data: { rollout: 2, revision: 2, rollbackTo: 1 } });
  });

  it('rolls a failed rollout back: one wave re-deploys the good revision where it no longer runs', () => {
    const state = spec
      .given(history(...V2_CANARY, failed('d1', 2, at(310))))
      .when(rollback(true, at(400)))
      .then([
        rolledBack(true),
        rollbackStarted([['d1']]),
        { type: 'WaveStarted', data: { applicationId: APP, rollout: 3, waveIndex: 0, devices: ['d1'], startedAt: at(400) } },
      ]);
    expect(state).toMatchObject({
      phase: 'Deploying',
      rollout: { rollout: 3, revision: 1, kind: 'rollback', status: 'InProgress' },
      revisions: [{ rolloutStatus: 'InProgress' }, { rolloutStatus: 'RolledBack' }],
    });
  });

  it('rolls back a rollout in progress or paused on request', () => {
    const inProgress = history(...V2_CANARY, running('d1', 2, SHA_2, at(310)));
    const expected = [
      rolledBack(false),
      rollbackStarted([['d1']]),
      { type: 'WaveStarted' as const, data: { applicationId: APP, rollout: 3, waveIndex: 0, devices: ['d1'], startedAt: at(400) } },
    ];
    spec.given(inProgress).when(rollback(false, at(400))).then(expected);
    spec.given(history(...V2_CANARY, running('d1', 2, SHA_2, at(310)), pause(at(320)))).when(rollback(false, at(400))).then(expected);
  });

  it('completes at once when every target still runs the good revision', () => {
    spec
      .given(history(...V2_CANARY))
      .when(rollback(false, at(400)))
      .then([
        rolledBack(false),
        rollbackStarted([]),
        { type: 'RolloutCompleted', data: { applicationId: APP, rollout: 3, revision: 1, phase: 'Running', running: 3, failed: 0, completedAt: at(400) } },
      ]);
  });

  it('finishes the rollback like any rollout', () => {
    const state = spec
      .given(history(...V2_CANARY, failed('d1', 2, at(310)), rollback(true, at(400)), running('d1', 1, SHA_1, at(410))))
      .when(advance(3, 0, at(470)))
      .then([
        { type: 'WaveCompleted', data: { applicationId: APP, rollout: 3, waveIndex: 0, running: 1, failed: 0, completedAt: at(470) } },
        { type: 'RolloutCompleted', data: { applicationId: APP, rollout: 3, revision: 1, phase: 'Running', running: 3, failed: 0, completedAt: at(470) } },
      ]);
    expect(state).toMatchObject({ phase: 'Running', goodRevisions: [1] });
  });

  it('picks the most recently completed revision, not the highest number', () => {
    const v3 = [
      ...V1_GOOD,
      deploy(['d1'], at(300)),
      running('d1', 2, SHA_2, at(301)),
      advance(2, 0, at(400)),
      deploy(FLEET, at(500), 1),
      ...allRunning(FLEET, 1, SHA_1, at(501)),
      advance(3, 0, at(600)),
      advance(3, 1, at(600)),
      update(specInput({}, SHA_3), at(700)),
      deploy(FLEET, at(700)),
    ];
    const events = history(...v3, failed('d1', 3, at(710)));
    expect(events.at(-1)).toMatchObject({ type: 'RolloutFailed', data: { revision: 3, rollbackTo: 1 } });
  });

  it('fails a rollback rollout without naming a further rollback, and refuses to roll it back', () => {
    const rollingBack = [...V2_CANARY, failed('d1', 2, at(310)), rollback(true, at(400))];
    const events = history(...rollingBack, failed('d1', 1, at(410)));
    expect(events.at(-1)).toMatchObject({ type: 'RolloutFailed', data: { rollout: 3, revision: 1, rollbackTo: null } });
    spec.given(history(...rollingBack)).when(rollback(false, at(420))).thenThrows(NoRollbackTarget, 'rollout 3 is itself a rollback');
  });

  it('never chains rollbacks, even with an older good revision to go to', () => {
    const v2Good = [
      ...V1_GOOD,
      deploy(FLEET, at(300)),
      running('d1', 2, SHA_2, at(301)),
      advance(2, 0, at(400)),
      ...allRunning(['d2', 'd3'], 2, SHA_2, at(401)),
      advance(2, 1, at(500)),
      update(specInput({}, SHA_3), at(600)),
      deploy(FLEET, at(600)),
    ];
    expect(history(...v2Good, failed('d1', 3, at(610))).at(-1)).toMatchObject({ type: 'RolloutFailed', data: { rollout: 3, rollbackTo: 2 } });
    const events = history(...v2Good, failed('d1', 3, at(610)), rollback(true, at(700)), failed('d1', 2, at(710)));
    expect(events.at(-1)).toMatchObject({ type: 'RolloutFailed', data: { rollout: 4, revision: 2, rollbackTo: null } });
  });

  it('ignores a failure of a target the rollback did not touch when checking the threshold', () => {
    const rollingBack = [...V2_CANARY, failed('d1', 2, at(310)), rollback(true, at(400))];
    spec
      .given(history(...rollingBack))
      .when(failed('d2', 1, at(410), 'panic'))
      .then([{ type: 'DeviceDeploymentFailed', data: { applicationId: APP, rollout: 3, revision: 1, device: 'd2', reason: 'panic', failedAt: at(410) } }]);
  });

  it('refuses when no other revision ever completed', () => {
    const err = spec.given(history(create(), deploy(FLEET))).when(rollback()).thenThrows(NoRollbackTarget);
    expect(err.message).toBe(`cannot roll back rollout 1 of application '${APP}': no other revision has completed a rollout`);
    expect(err.code).toBe('failed_precondition');
  });

  it.each([
    ['Creating', [create()]],
    ['Running (rollout 1 Completed)', V1_GOOD],
    ['Stopping (rollout 2 Failed)', [...V2_CANARY, failed('d1', 2, at(310)), stop(at(320))]],
  ] as [string, ApplicationCommand[]][])('is an invalid transition without a rollout to roll back (%s)', (state, commands) => {
    spec.given(history(...commands)).when(rollback()).thenThrows(InvalidTransition, `cannot RollbackRollout: application '${APP}' is ${state}`);
  });

  it.each([
    ['data.reason', rollback(false, T0, '')],
    ['data.automatic', cmd('RollbackRollout', { applicationId: APP, reason: 'x', automatic: 'yes' as unknown as boolean })],
  ])('rejects an invalid %s', (field, command) => {
    expect(spec.given(history(...V2_CANARY)).when(command).thenThrows(InvalidCommand).field).toBe(field);
  });
});
