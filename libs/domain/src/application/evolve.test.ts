import { applyEvents } from '../shared/decider';
import { UnexpectedEvent } from '../shared/errors';
import { ACTOR, SHA_1, SHA_2, T0, at } from '../test-support/fixtures';
import { APP, V1_GOOD_V2_CREATED, advance, create, deploy, failed, history, rollback, running, specInput, stop, stopped, storedSpec } from '../test-support/application';
import { applicationDecider } from './decider';
import { deviceMapFrom } from './device-map';
import type { ApplicationEvent } from './events';
import { evolveApplication } from './evolve';
import { deviceDeployments } from './state';

describe('application evolve', () => {
  const FLEET = ['d1', 'd2', 'd3'];
  const events = history(
    ...V1_GOOD_V2_CREATED,
    deploy(FLEET, at(300)),
    failed('d1', 2, at(310)),
    rollback(true, at(400)),
    running('d1', 1, SHA_1, at(410)),
    advance(3, 0, at(470)),
    stop(at(500)),
    stopped('d1', at(501)),
    stopped('d2', at(502)),
    stopped('d3', at(503)),
  );

  it('rebuilds the same state from stored (JSON) events as the live decisions produced', () => {
    const live = applyEvents(applicationDecider, events);
    const stored = JSON.parse(JSON.stringify(events)) as ApplicationEvent[];
    expect(applyEvents(applicationDecider, stored)).toEqual(live);
    expect(live).toEqual({
      phase: 'Stopped',
      applicationId: APP,
      createdAt: T0,
      revisions: [
        { revision: 1, spec: storedSpec(), createdAt: T0, createdBy: ACTOR, rolloutStatus: 'Completed' },
        { revision: 2, spec: storedSpec(specInput({}, SHA_2)), createdAt: at(200), createdBy: ACTOR, rolloutStatus: 'RolledBack' },
      ],
      rollout: {
        rollout: 3,
        revision: 1,
        kind: 'rollback',
        targets: FLEET,
        waves: [['d1']],
        strategy: { canary: 0, batchSize: { percent: 100 }, healthGateSeconds: 60, failureThreshold: 0 },
        status: 'Completed',
        currentWave: 0,
        completedWaves: 1,
        startedAt: at(400),
      },
      goodRevisions: [1],
      devices: deviceMapFrom([
        ['d1', { rollout: 3, revision: 1, status: 'Stopped', reason: null, since: at(501) }],
        ['d2', { rollout: 1, revision: 1, status: 'Stopped', reason: null, since: at(502) }],
        ['d3', { rollout: 1, revision: 1, status: 'Stopped', reason: null, since: at(503) }],
      ]),
      pendingStop: [],
    });
  });

  it('tells the event types apart in order', () => {
    expect(events.map((e) => e.type)).toEqual([
      'ApplicationCreated',
      'ApplicationRevisionCreated',
      'RolloutStarted',
      'WaveStarted',
      'DeviceRunning',
      'WaveCompleted',
      'WaveStarted',
      'DeviceRunning',
      'DeviceRunning',
      'WaveCompleted',
      'RolloutCompleted',
      'ApplicationRevisionCreated',
      'RolloutStarted',
      'WaveStarted',
      'DeviceDeploymentFailed',
      'RolloutFailed',
      'RolloutRolledBack',
      'RolloutStarted',
      'WaveStarted',
      'DeviceRunning',
      'WaveCompleted',
      'RolloutCompleted',
      'ApplicationStopping',
      'DeviceStopped',
      'DeviceStopped',
      'DeviceStopped',
      'ApplicationStopped',
    ]);
  });

  const created = history(create());
  it.each([
    ['an event on an empty stream', [], created[1]],
    ['ApplicationCreated twice', created, created[0]],
    ['WaveStarted without a rollout', created, { type: 'WaveStarted', data: { applicationId: APP, rollout: 1, waveIndex: 0, devices: [], startedAt: T0 } }],
    ['RolloutPaused without a rollout', created, { type: 'RolloutPaused', data: { applicationId: APP, rollout: 1, reason: null, pausedAt: T0, pausedBy: ACTOR } }],
  ] as [string, ApplicationEvent[], ApplicationEvent][])('reports a corrupt stream: %s', (_name, before, event) => {
    expect(() => evolveApplication(applyEvents(applicationDecider, before), event)).toThrow(UnexpectedEvent);
  });

  it('ignores DeviceStopped for a device it never deployed to', () => {
    const state = applyEvents(applicationDecider, created);
    const next = evolveApplication(state, { type: 'DeviceStopped', data: { applicationId: APP, device: 'd9', stoppedAt: T0 } });
    expect(next).toMatchObject({ pendingStop: [] });
    expect(deviceDeployments(next)).toEqual([]);
  });
});
