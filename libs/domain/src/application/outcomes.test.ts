import { InvalidCommand, InvalidTransition } from '../shared/errors';
import { DeciderSpecification } from '../testing/decider-specification';
import { SHA_1, SHA_2, T0, at, commandsOf } from '../test-support/fixtures';
import { APP, advance, create, deploy, failed, history, running, specInput, started, stop, update } from '../test-support/application';
import type { ApplicationCommand, DeviceOutcome } from './commands';
import { applicationDecider } from './decider';
import { RevisionNotFound } from './errors';

const spec = DeciderSpecification.for(applicationDecider);
const cmd = commandsOf<ApplicationCommand>();
const outcomes = (list: DeviceOutcome[], now = T0) => cmd('RecordDeviceOutcomes', { applicationId: APP, outcomes: list }, now);
const base = { applicationId: APP, rollout: 1, revision: 1 };

/** The single command an outcome stands for, decided at the outcome's own time. */
function single(o: DeviceOutcome, now: string): ApplicationCommand {
  const when = o.at ?? now;
  if (o.kind === 'started') return started(o.device, o.revision, when);
  if (o.kind === 'running') return running(o.device, o.revision, o.sha256, when);
  return failed(o.device, o.revision, when, o.reason);
}

/** Asserts the batch decides on `given` exactly what its outcomes' single commands decide one after another. */
function expectSameAsSingles(given: ApplicationCommand[], list: DeviceOutcome[], now = at(30)): void {
  const singles = history(...given, ...list.map((o) => single(o, now))).slice(history(...given).length);
  spec.given(history(...given)).when(outcomes(list, now)).then(singles);
}

const FLEET = ['d1', 'd2', 'd3', 'd4', 'd5'];
/** Waves [d1..d5] at once: no canary, a 60 s gate, one failure tolerated. */
const TOLERANT = create(specInput({ strategy: { canary: 0, batchSize: 5, healthGateSeconds: 60, failureThreshold: 1 } }));
const ONE_WAVE = [TOLERANT, deploy(FLEET)];
const COMPLETED = [...ONE_WAVE, ...FLEET.map((d) => running(d, 1, SHA_1, at(1))), advance(1, 0, at(100))];

describe('RecordDeviceOutcomes', () => {
  it('records the outcomes of many devices in one decision, in order', () => {
    spec
      .given(history(...ONE_WAVE))
      .when(
        outcomes(
          [
            { device: 'd1', revision: 1, kind: 'started' },
            { device: 'd2', revision: 1, kind: 'running', sha256: SHA_1 },
            { device: 'd3', revision: 1, kind: 'failed', reason: 'trap' },
          ],
          at(5),
        ),
      )
      .then([
        { type: 'DeviceDeploymentStarted', data: { ...base, device: 'd1', startedAt: at(5) } },
        { type: 'DeviceRunning', data: { ...base, device: 'd2', sha256: SHA_1, runningAt: at(5) } },
        { type: 'DeviceDeploymentFailed', data: { ...base, device: 'd3', reason: 'trap', failedAt: at(5) } },
      ]);
  });

  it("dates each outcome at its own time when it names one, else at the command's", () => {
    spec
      .given(history(...ONE_WAVE))
      .when(outcomes([{ device: 'd1', revision: 1, kind: 'started', at: at(2) }, { device: 'd2', revision: 1, kind: 'started' }], at(9)))
      .then([
        { type: 'DeviceDeploymentStarted', data: { ...base, device: 'd1', startedAt: at(2) } },
        { type: 'DeviceDeploymentStarted', data: { ...base, device: 'd2', startedAt: at(9) } },
      ]);
  });

  it('decides each outcome on the state the previous ones left: a start then its outcome, a repeated report ignored', () => {
    spec
      .given(history(...ONE_WAVE))
      .when(
        outcomes([
          { device: 'd1', revision: 1, kind: 'started' },
          { device: 'd1', revision: 1, kind: 'running', sha256: SHA_1 },
          { device: 'd1', revision: 1, kind: 'running', sha256: SHA_1 },
          { device: 'd1', revision: 1, kind: 'started' },
        ]),
      )
      .then([
        { type: 'DeviceDeploymentStarted', data: { ...base, device: 'd1', startedAt: T0 } },
        { type: 'DeviceRunning', data: { ...base, device: 'd1', sha256: SHA_1, runningAt: T0 } },
      ]);
  });

  it('ignores what the single commands ignore: duplicates and reports about an earlier rollout', () => {
    const given = [...COMPLETED, update(specInput({}, SHA_2), at(200)), deploy(FLEET, at(200), 2), started('d1', 2, at(201))];
    const late: DeviceOutcome[] = [
      { device: 'd2', revision: 1, kind: 'running', sha256: SHA_1 },
      { device: 'd1', revision: 1, kind: 'failed', reason: 'late' },
      { device: 'd1', revision: 2, kind: 'started' },
    ];
    spec.given(history(...given)).when(outcomes(late, at(210))).thenNothingHappens();
  });

  it('fails the rollout right after the failure that crosses the threshold, and keeps recording the rest', () => {
    const list: DeviceOutcome[] = [
      { device: 'd1', revision: 1, kind: 'failed', reason: 'trap' },
      { device: 'd2', revision: 1, kind: 'failed', reason: 'trap' },
      { device: 'd3', revision: 1, kind: 'running', sha256: SHA_1 },
      { device: 'd4', revision: 1, kind: 'failed', reason: 'trap' },
    ];
    const state = spec
      .given(history(...ONE_WAVE))
      .when(outcomes(list, at(40)))
      .then([
        { type: 'DeviceDeploymentFailed', data: { ...base, device: 'd1', reason: 'trap', failedAt: at(40) } },
        { type: 'DeviceDeploymentFailed', data: { ...base, device: 'd2', reason: 'trap', failedAt: at(40) } },
        {
          type: 'RolloutFailed',
          data: {
            ...base,
            waveIndex: 0,
            failedDevices: ['d1', 'd2'],
            reason: '2 of 5 devices failed in wave 0 (at most 1 tolerated)',
            rollbackTo: null,
            failedAt: at(40),
          },
        },
        { type: 'DeviceRunning', data: { ...base, device: 'd3', sha256: SHA_1, runningAt: at(40) } },
        { type: 'DeviceDeploymentFailed', data: { ...base, device: 'd4', reason: 'trap', failedAt: at(40) } },
      ]);
    expect(state).toMatchObject({ phase: 'Failed', rollout: { status: 'Failed' } });
  });

  describe('decides exactly what the single commands decide one after another', () => {
    const FIVE_WAVES = [create(), deploy(FLEET)]; // canary d1, then [d2, d3], [d4, d5]; no failure tolerated
    const cases: [string, ApplicationCommand[], DeviceOutcome[]][] = [
      [
        'a wave starting, some running, one failing under the threshold',
        ONE_WAVE,
        [
          ...FLEET.map((device): DeviceOutcome => ({ device, revision: 1, kind: 'started', at: at(1) })),
          { device: 'd3', revision: 1, kind: 'running', sha256: SHA_1, at: at(7) },
          { device: 'd1', revision: 1, kind: 'failed', reason: 'oom', at: at(8) },
          { device: 'd5', revision: 1, kind: 'running', sha256: SHA_1 },
          { device: 'd3', revision: 1, kind: 'started' },
        ],
      ],
      [
        'a canary failing with no failure tolerated, then late reports',
        FIVE_WAVES,
        [
          { device: 'd1', revision: 1, kind: 'started', at: at(1) },
          { device: 'd1', revision: 1, kind: 'failed', reason: 'trap', at: at(3) },
          { device: 'd1', revision: 1, kind: 'failed', reason: 'trap again', at: at(4) },
          { device: 'd1', revision: 1, kind: 'running', sha256: SHA_1, at: at(5) },
        ],
      ],
      [
        'after completion: a crash and a recovery move the phase',
        COMPLETED,
        [
          { device: 'd2', revision: 1, kind: 'failed', reason: 'crash' },
          { device: 'd4', revision: 1, kind: 'failed', reason: 'crash' },
          { device: 'd2', revision: 1, kind: 'running', sha256: SHA_1 },
        ],
      ],
    ];
    it.each(cases)('%s', (_name, given, list) => expectSameAsSingles(given, list));
  });

  it('is all or nothing: one outcome refused refuses the command, naming that outcome', () => {
    const list: DeviceOutcome[] = [
      { device: 'd1', revision: 1, kind: 'started' },
      { device: 'd9', revision: 1, kind: 'started' },
    ];
    const err = spec.given(history(...ONE_WAVE)).when(outcomes(list)).thenThrows(InvalidCommand);
    expect(err.field).toBe('data.outcomes[1].device');
    expect(err.message).toBe("invalid data.outcomes[1].device: 'd9' is not a target of rollout 1");
    spec
      .given(history(...ONE_WAVE))
      .when(outcomes([{ device: 'd1', revision: 1, kind: 'running', sha256: SHA_2 }]))
      .thenThrows(InvalidCommand, 'data.outcomes[0].sha256: does not match the module of revision 1');
    spec.given(history(...ONE_WAVE)).when(outcomes([{ device: 'd1', revision: 7, kind: 'started' }])).thenThrows(RevisionNotFound);
  });

  it('is refused as a whole when the application takes no outcomes', () => {
    spec
      .given(history(...ONE_WAVE, running('d1', 1, SHA_1), stop()))
      .when(outcomes([{ device: 'd1', revision: 1, kind: 'started' }]))
      .thenThrows(InvalidTransition, `cannot RecordDeviceOutcomes: application '${APP}' is Stopping`);
  });

  it('validates its input', () => {
    const given = spec.given(history(...ONE_WAVE));
    given.when(cmd('RecordDeviceOutcomes', { applicationId: APP, outcomes: [] })).thenThrows(InvalidCommand, 'data.outcomes: must list at least one outcome');
    given.when(cmd('RecordDeviceOutcomes', { applicationId: APP } as never)).thenThrows(InvalidCommand, 'data.outcomes: must be an array');
    given.when(outcomes([{ device: 'd1', revision: 1, kind: 'gone' } as never])).thenThrows(InvalidCommand, 'data.outcomes[0].kind: must be one of started, running, failed');
    given.when(outcomes(['d1' as never])).thenThrows(InvalidCommand, 'data.outcomes[0]');
    given.when(outcomes([{ device: 'd1', revision: 1, kind: 'started', at: 'yesterday' }])).thenThrows(InvalidCommand, 'data.outcomes[0].at');
    given.when(outcomes([{ device: 'd1', revision: 1, kind: 'failed' } as never])).thenThrows(InvalidCommand, 'data.outcomes[0].reason');
  });
});
