import { InvalidCommand, InvalidTransition } from '../shared/errors';
import { DeciderSpecification } from '../testing/decider-specification';
import { ACTOR, SHA_1, T0, at } from '../test-support/fixtures';
import { APP, advance, create, deploy, failed, history, pause, resume, running, specInput, started } from '../test-support/application';
import type { ApplicationCommand } from './commands';
import { applicationDecider } from './decider';
import { WaveNotReady } from './errors';

const spec = DeciderSpecification.for(applicationDecider);
/** Five devices: waves [d1], [d2, d3], [d4, d5]; a 60 s health gate; no failure tolerated. */
const FLEET = ['d1', 'd2', 'd3', 'd4', 'd5'];
const DEPLOYING = [create(), deploy(FLEET)];
const CANARY_RUNNING = [...DEPLOYING, running('d1', 1, SHA_1, at(10))];
const IN_WAVE_1 = [...CANARY_RUNNING, advance(1, 0, at(70))];
const IN_WAVE_2 = [...IN_WAVE_1, running('d2', 1, SHA_1, at(80)), running('d3', 1, SHA_1, at(90)), advance(1, 1, at(150))];
const base = { applicationId: APP, rollout: 1 };

describe('AdvanceWave', () => {
  it('waits for every device of the wave to report an outcome', () => {
    const err = spec.given(history(...DEPLOYING, started('d1', 1))).when(advance(1, 0, at(500))).thenThrows(WaveNotReady);
    expect(err.message).toBe(`wave 0 of rollout 1 of application '${APP}' is not ready: no outcome yet from d1`);
    expect(err.code).toBe('failed_precondition');
  });

  it('waits for the health gate, counted from the last outcome of the wave', () => {
    spec.given(history(...CANARY_RUNNING)).when(advance(1, 0, at(69))).thenThrows(WaveNotReady, `health gate ends at ${at(70)}`);
    spec.given(history(...IN_WAVE_1, running('d2', 1, SHA_1, at(80)), running('d3', 1, SHA_1, at(90)))).when(advance(1, 1, at(149))).thenThrows(WaveNotReady, `health gate ends at ${at(150)}`);
  });

  it('closes a healthy wave and starts the next one', () => {
    const state = spec
      .given(history(...CANARY_RUNNING))
      .when(advance(1, 0, at(70)))
      .then([
        { type: 'WaveCompleted', data: { ...base, waveIndex: 0, running: 1, failed: 0, completedAt: at(70) } },
        { type: 'WaveStarted', data: { ...base, waveIndex: 1, devices: ['d2', 'd3'], startedAt: at(70) } },
      ]);
    expect(state).toMatchObject({ phase: 'Deploying', rollout: { currentWave: 1, completedWaves: 1, status: 'InProgress' } });
  });

  it('completes the rollout after the last wave: Running when every target runs the revision', () => {
    const state = spec
      .given(history(...IN_WAVE_2, running('d4', 1, SHA_1, at(160)), running('d5', 1, SHA_1, at(170))))
      .when(advance(1, 2, at(230)))
      .then([
        { type: 'WaveCompleted', data: { ...base, waveIndex: 2, running: 2, failed: 0, completedAt: at(230) } },
        { type: 'RolloutCompleted', data: { ...base, revision: 1, phase: 'Running', running: 5, failed: 0, completedAt: at(230) } },
      ]);
    expect(state).toMatchObject({ phase: 'Running', goodRevisions: [1], rollout: { status: 'Completed', completedWaves: 3 }, revisions: [{ rolloutStatus: 'Completed' }] });
  });

  it('completes as PartiallyRunning when some devices failed under the threshold', () => {
    const tolerant = create(specInput({ strategy: { canary: 0, batchSize: 10, healthGateSeconds: 0, failureThreshold: 1 } }));
    spec
      .given(history(tolerant, deploy(['d1', 'd2']), running('d1', 1, SHA_1), failed('d2', 1, at(5))))
      .when(advance(1, 0, at(5)))
      .then([
        { type: 'WaveCompleted', data: { ...base, waveIndex: 0, running: 1, failed: 1, completedAt: at(5) } },
        { type: 'RolloutCompleted', data: { ...base, revision: 1, phase: 'PartiallyRunning', running: 1, failed: 1, completedAt: at(5) } },
      ]);
  });

  it.each([
    ['a wave already closed', [...IN_WAVE_1], advance(1, 0, at(500))],
    ['an earlier rollout', [create(), deploy([]), deploy(['d1'], at(300))], advance(1, 0, at(500))],
    ['the last wave of a completed rollout', [create(), deploy(['d1']), running('d1', 1, SHA_1), advance(1, 0, at(60))], advance(1, 0, at(500))],
  ] as [string, ApplicationCommand[], ApplicationCommand][])('does nothing for %s', (_name, commands, command) => {
    spec.given(history(...commands)).when(command).thenNothingHappens();
  });

  it('refuses a rollout that does not exist', () => {
    spec.given(history(create())).when(advance(1, 0)).thenThrows(InvalidCommand, 'rollout 1 does not exist');
    spec.given(history(...DEPLOYING)).when(advance(2, 0)).thenThrows(InvalidCommand, 'rollout 2 does not exist');
  });

  it('refuses a wave ahead of the current one', () => {
    spec.given(history(...CANARY_RUNNING)).when(advance(1, 1, at(500))).thenThrows(InvalidCommand, 'rollout 1 is at wave 0');
  });

  it('is an invalid transition while the rollout is paused', () => {
    spec
      .given(history(...CANARY_RUNNING, pause(at(20))))
      .when(advance(1, 0, at(500)))
      .thenThrows(InvalidTransition, `cannot AdvanceWave: application '${APP}' is Deploying (rollout 1 Paused)`);
  });

  it('is an invalid transition once the rollout failed', () => {
    spec.given(history(...DEPLOYING, failed('d1', 1))).when(advance(1, 0, at(500))).thenThrows(InvalidTransition, 'is Failed (rollout 1 Failed)');
  });

  it.each([
    ['data.rollout', advance(0, 0)],
    ['data.waveIndex', advance(1, -1)],
  ])('rejects an invalid %s', (field, command) => {
    expect(spec.given(history(...DEPLOYING)).when(command).thenThrows(InvalidCommand).field).toBe(field);
  });
});

describe('PauseRollout and ResumeRollout', () => {
  it('pauses a rollout in progress', () => {
    const state = spec
      .given(history(...DEPLOYING))
      .when(pause(at(5), 'checking dashboards'))
      .then([{ type: 'RolloutPaused', data: { ...base, reason: 'checking dashboards', pausedAt: at(5), pausedBy: ACTOR } }]);
    expect(state).toMatchObject({ phase: 'Deploying', rollout: { status: 'Paused' }, revisions: [{ rolloutStatus: 'Paused' }] });
  });

  it('pauses without a reason', () => {
    spec.given(history(...DEPLOYING)).when(pause(at(5))).then([{ type: 'RolloutPaused', data: { ...base, reason: null, pausedAt: at(5), pausedBy: ACTOR } }]);
  });

  it('does nothing when already paused', () => {
    spec.given(history(...DEPLOYING, pause())).when(pause(at(9))).thenNothingHappens();
  });

  it('resumes a paused rollout', () => {
    const state = spec
      .given(history(...DEPLOYING, pause()))
      .when(resume(at(9)))
      .then([{ type: 'RolloutResumed', data: { ...base, resumedAt: at(9), resumedBy: ACTOR } }]);
    expect(state).toMatchObject({ rollout: { status: 'InProgress' } });
  });

  it('does nothing when resuming a rollout in progress', () => {
    spec.given(history(...DEPLOYING)).when(resume()).thenNothingHappens();
  });

  it('still records outcomes, and still fails the rollout, while paused', () => {
    spec.given(history(...DEPLOYING, pause())).when(running('d1', 1, SHA_1, at(3))).then([
      { type: 'DeviceRunning', data: { ...base, revision: 1, device: 'd1', sha256: SHA_1, runningAt: at(3) } },
    ]);
    const events = history(...DEPLOYING, pause(), failed('d1', 1, at(3)));
    expect(events.at(-1)).toMatchObject({ type: 'RolloutFailed' });
  });

  it.each([
    ['Creating', [create()]],
    ['Running', [create(), deploy([])]],
  ] as [string, ApplicationCommand[]][])('is an invalid transition without a rollout in progress (%s)', (phase, commands) => {
    spec.given(history(...commands)).when(pause()).thenThrows(InvalidTransition, `cannot PauseRollout: application '${APP}' is ${phase}`);
    spec.given(history(...commands)).when(resume()).thenThrows(InvalidTransition, `cannot ResumeRollout: application '${APP}' is ${phase}`);
  });

  it('rejects an empty reason', () => {
    expect(spec.given(history(...DEPLOYING)).when(pause(T0, '')).thenThrows(InvalidCommand).field).toBe('data.reason');
  });
});
