import { InvalidCommand, InvalidTransition } from '../shared/errors';
import { DeciderSpecification } from '../testing/decider-specification';
import { ACTOR, SHA_1, SHA_2, T0, at } from '../test-support/fixtures';
import {
  APP,
  advance,
  cmd,
  confirmDeleted,
  create,
  deploy,
  history,
  remove,
  running,
  specInput,
  stop,
  stopped,
  storedSpec,
  update,
} from '../test-support/application';
import type { ApplicationCommand } from './commands';
import { applicationDecider } from './decider';
import { ApplicationAlreadyExists, ApplicationNotFound } from './errors';
import { deviceDeployment } from './state';

const spec = DeciderSpecification.for(applicationDecider);

/** Revision 1 running on d1 and d2 (default strategy: one wave, no gate). */
const TO_RUNNING = [create(specInput({ strategy: undefined })), deploy(['d1', 'd2']), running('d1', 1, SHA_1), running('d2', 1, SHA_1), advance(1, 0)];
const TO_DEPLOYING = [create(), deploy(['d1', 'd2', 'd3']), running('d1', 1, SHA_1)];
const PHASES = {
  Creating: [create()],
  Deploying: TO_DEPLOYING,
  Running: TO_RUNNING,
  Stopping: [...TO_RUNNING, stop(at(10))],
  Stopped: [...TO_RUNNING, stop(at(10)), stopped('d1', at(11)), stopped('d2', at(12))],
  Deleting: [...TO_RUNNING, remove(at(10))],
  Deleted: [...TO_RUNNING, remove(at(10)), confirmDeleted(at(20))],
} satisfies Record<string, ApplicationCommand[]>;
const given = (phase: keyof typeof PHASES) => spec.given(history(...PHASES[phase]));

describe('CreateApplication', () => {
  it('creates the application with revision 1, not deployed yet', () => {
    const state = spec
      .given([])
      .when(create())
      .then([
        { type: 'ApplicationCreated', data: { applicationId: APP, createdAt: T0, createdBy: ACTOR } },
        { type: 'ApplicationRevisionCreated', data: { applicationId: APP, revision: 1, spec: storedSpec(), createdAt: T0, createdBy: ACTOR } },
      ]);
    expect(state).toMatchObject({ phase: 'Creating', rollout: null, revisions: [{ revision: 1, rolloutStatus: 'Pending' }] });
  });

  it.each(Object.keys(PHASES) as (keyof typeof PHASES)[])('refuses a name that already exists (%s)', (phase) => {
    given(phase).when(create()).thenThrows(ApplicationAlreadyExists, `application '${APP}' already exists (${phase})`);
  });

  it('rejects an invalid spec, naming the field', () => {
    expect(spec.given([]).when(create(specInput({ entryPoint: '' }))).thenThrows(InvalidCommand).field).toBe('data.spec.entryPoint');
  });

  it('rejects an invalid application name', () => {
    const command = cmd('CreateApplication', { applicationId: 'Thermo', spec: specInput() });
    expect(spec.given([]).when(command).thenThrows(InvalidCommand).field).toBe('data.applicationId');
  });
});

describe('UpdateApplication', () => {
  const v2 = specInput({}, SHA_2);

  it.each(['Creating', 'Deploying', 'Running', 'Stopped'] as const)('adds the next revision while %s, without deploying it', (phase) => {
    const before = history(...PHASES[phase]);
    const state = spec
      .given(before)
      .when(update(v2, at(100)))
      .then([{ type: 'ApplicationRevisionCreated', data: { applicationId: APP, revision: 2, spec: storedSpec(v2), createdAt: at(100), createdBy: ACTOR } }]);
    expect(state).toMatchObject({ phase, revisions: [{ revision: 1 }, { revision: 2, rolloutStatus: 'Pending' }] });
  });

  it('does nothing when the spec equals the latest revision', () => {
    given('Creating').when(update(specInput())).thenNothingHappens();
  });

  it.each(['Stopping', 'Deleting', 'Deleted'] as const)('is an invalid transition while %s', (phase) => {
    given(phase).when(update(v2)).thenThrows(InvalidTransition, `cannot UpdateApplication: application '${APP}' is ${phase}`);
  });

  it('rejects an invalid spec', () => {
    expect(given('Running').when(update(specInput({ publisherKey: 'x' }))).thenThrows(InvalidCommand).field).toBe('data.spec.publisherKey');
  });
});

describe('StopApplication', () => {
  it('asks every device running the application to stop', () => {
    const state = given('Running')
      .when(stop(at(10)))
      .then([
        {
          type: 'ApplicationStopping',
          data: { applicationId: APP, devices: ['d1', 'd2'], cancelledRollout: null, requestedAt: at(10), requestedBy: ACTOR },
        },
      ]);
    expect(state).toMatchObject({ phase: 'Stopping', pendingStop: ['d1', 'd2'], rollout: { status: 'Completed' } });
  });

  it('cancels an unfinished rollout', () => {
    const state = given('Deploying')
      .when(stop(at(10)))
      .then([{ type: 'ApplicationStopping', data: { applicationId: APP, devices: ['d1'], cancelledRollout: 1, requestedAt: at(10), requestedBy: ACTOR } }]);
    expect(state).toMatchObject({ rollout: { status: 'Cancelled' }, revisions: [{ rolloutStatus: 'Cancelled' }] });
  });

  it('stops at once when no device runs the application', () => {
    const state = given('Creating')
      .when(stop(at(10)))
      .then([
        { type: 'ApplicationStopping', data: { applicationId: APP, devices: [], cancelledRollout: null, requestedAt: at(10), requestedBy: ACTOR } },
        { type: 'ApplicationStopped', data: { applicationId: APP, stoppedAt: at(10) } },
      ]);
    expect(state).toMatchObject({ phase: 'Stopped' });
  });

  it.each(['Stopping', 'Stopped'] as const)('does nothing while %s', (phase) => {
    given(phase).when(stop()).thenNothingHappens();
  });

  it.each(['Deleting', 'Deleted'] as const)('is an invalid transition while %s', (phase) => {
    given(phase).when(stop()).thenThrows(InvalidTransition, `cannot StopApplication: application '${APP}' is ${phase}`);
  });
});

describe('RecordDeviceStopped', () => {
  it('records a device that stopped', () => {
    const state = given('Stopping')
      .when(stopped('d2', at(11)))
      .then([{ type: 'DeviceStopped', data: { applicationId: APP, device: 'd2', stoppedAt: at(11) } }]);
    expect(state).toMatchObject({ phase: 'Stopping', pendingStop: ['d1'] });
    expect(deviceDeployment(state, 'd2')).toMatchObject({ status: 'Stopped', since: at(11) });
  });

  it('finishes stopping with the last device', () => {
    const state = spec
      .given(history(...PHASES.Stopping, stopped('d1', at(11))))
      .when(stopped('d2', at(12)))
      .then([
        { type: 'DeviceStopped', data: { applicationId: APP, device: 'd2', stoppedAt: at(12) } },
        { type: 'ApplicationStopped', data: { applicationId: APP, stoppedAt: at(12) } },
      ]);
    expect(state).toMatchObject({ phase: 'Stopped', pendingStop: [] });
  });

  it('finishes deleting with the last device', () => {
    spec
      .given(history(...PHASES.Deleting, stopped('d1', at(11))))
      .when(stopped('d2', at(12)))
      .then([
        { type: 'DeviceStopped', data: { applicationId: APP, device: 'd2', stoppedAt: at(12) } },
        { type: 'ApplicationDeleted', data: { applicationId: APP, abandonedDevices: [], deletedAt: at(12), deletedBy: ACTOR } },
      ]);
  });

  it('ignores a device that is not waited for while stopping', () => {
    spec.given(history(...PHASES.Stopping, stopped('d1', at(11)))).when(stopped('d1', at(13))).thenNothingHappens();
    given('Stopping').when(stopped('d9')).thenNothingHappens();
  });

  it('ignores a repeated report once stopped', () => {
    given('Stopped').when(stopped('d1')).thenNothingHappens();
  });

  it.each(['Running', 'Creating'] as const)('is an invalid transition for a stop nobody asked for (%s)', (phase) => {
    given(phase).when(stopped('d1')).thenThrows(InvalidTransition, `cannot RecordDeviceStopped: application '${APP}' is ${phase}`);
  });

  it('rejects an invalid device name', () => {
    expect(given('Stopping').when(stopped('D1')).thenThrows(InvalidCommand).field).toBe('data.device');
  });
});

describe('DeleteApplication', () => {
  it('stops the devices before the application is gone', () => {
    const state = given('Running')
      .when(remove(at(10)))
      .then([{ type: 'ApplicationDeleting', data: { applicationId: APP, devices: ['d1', 'd2'], cancelledRollout: null, requestedAt: at(10), requestedBy: ACTOR } }]);
    expect(state).toMatchObject({ phase: 'Deleting', pendingStop: ['d1', 'd2'] });
  });

  it('takes over the devices still stopping', () => {
    spec
      .given(history(...PHASES.Stopping, stopped('d1', at(11))))
      .when(remove(at(12)))
      .then([{ type: 'ApplicationDeleting', data: { applicationId: APP, devices: ['d2'], cancelledRollout: null, requestedAt: at(12), requestedBy: ACTOR } }]);
  });

  it('cancels an unfinished rollout', () => {
    const state = given('Deploying')
      .when(remove(at(10)))
      .then([{ type: 'ApplicationDeleting', data: { applicationId: APP, devices: ['d1'], cancelledRollout: 1, requestedAt: at(10), requestedBy: ACTOR } }]);
    expect(state).toMatchObject({ rollout: { status: 'Cancelled' } });
  });

  it.each(['Stopped', 'Creating'] as const)('deletes at once when no device runs the application (%s)', (phase) => {
    const state = given(phase)
      .when(remove(at(30)))
      .then([
        { type: 'ApplicationDeleting', data: { applicationId: APP, devices: [], cancelledRollout: null, requestedAt: at(30), requestedBy: ACTOR } },
        { type: 'ApplicationDeleted', data: { applicationId: APP, abandonedDevices: [], deletedAt: at(30), deletedBy: ACTOR } },
      ]);
    expect(state).toMatchObject({ phase: 'Deleted' });
  });

  it.each(['Deleting', 'Deleted'] as const)('does nothing while %s', (phase) => {
    given(phase).when(remove()).thenNothingHappens();
  });
});

describe('ConfirmDeleted', () => {
  it('finishes a deletion without the devices that never confirmed', () => {
    const state = spec
      .given(history(...PHASES.Deleting, stopped('d1', at(11))))
      .when(confirmDeleted(at(20)))
      .then([{ type: 'ApplicationDeleted', data: { applicationId: APP, abandonedDevices: ['d2'], deletedAt: at(20), deletedBy: ACTOR } }]);
    expect(state).toMatchObject({ phase: 'Deleted', pendingStop: [] });
  });

  it('does nothing once deleted', () => {
    given('Deleted').when(confirmDeleted()).thenNothingHappens();
  });

  it.each(['Running', 'Stopping', 'Stopped'] as const)('is an invalid transition while %s', (phase) => {
    given(phase).when(confirmDeleted()).thenThrows(InvalidTransition, `cannot ConfirmDeleted: application '${APP}' is ${phase}`);
  });
});

describe('every application command', () => {
  const commands: ApplicationCommand[] = [
    update(specInput()),
    deploy(['d1']),
    running('d1', 1, SHA_1),
    advance(1, 0),
    cmd('PauseRollout', { applicationId: APP }),
    cmd('ResumeRollout', { applicationId: APP }),
    cmd('RollbackRollout', { applicationId: APP, reason: 'x', automatic: false }),
    stop(),
    stopped('d1'),
    remove(),
    confirmDeleted(),
  ];

  it.each(commands.map((c) => [c.type, c] as const))('%s needs an existing application', (_type, command) => {
    spec.given([]).when(command).thenThrows(ApplicationNotFound, `application '${APP}' not found`);
  });

  it('refuses a command for another application than the loaded one', () => {
    given('Running').when(cmd('StopApplication', { applicationId: 'other' })).thenThrows(InvalidCommand, "is 'other' but the loaded aggregate is 'thermo'");
  });

  it('needs valid metadata', () => {
    expect(given('Running').when(stop('now')).thenThrows(InvalidCommand).field).toBe('metadata.now');
  });
});
