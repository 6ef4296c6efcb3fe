import { unknownCommand } from '../shared/assert-never';
import { sameValue } from '../shared/canonical';
import { InvalidTransition } from '../shared/errors';
import { requireSameAggregate } from '../shared/identity';
import type { CommandMetadata } from '../shared/messages';
import { requireMetadata } from '../shared/metadata';
import { requireName, requireRecord } from '../shared/validation';
import type { ApplicationCommand } from './commands';
import { decideAdvanceWave, decideDeploy, decideDeviceOutcome, decidePause, decideResume, decideRollback } from './decide-rollout';
import { decideDeviceOutcomes } from './decide-outcomes';
import { ApplicationAlreadyExists, ApplicationNotFound } from './errors';
import type { ApplicationEvent } from './events';
import { activeDevices, describeState, isRolloutActive } from './rollout-queries';
import { requireSpec } from './spec';
import { deviceDeployment, latestRevision, type Application, type ApplicationPhase, type ApplicationState } from './state';

/** The application state machine; see libs/domain/README.md for the transition tables. */
export function decideApplication(command: ApplicationCommand, state: ApplicationState): ApplicationEvent[] {
  const meta = requireMetadata(command.metadata);
  const data = requireRecord('data', command.data);
  const applicationId = requireName('data.applicationId', data.applicationId);
  if (state.phase !== 'Initial') requireSameAggregate('data.applicationId', applicationId, state.applicationId);

  if (command.type === 'CreateApplication') {
    if (state.phase !== 'Initial') throw new ApplicationAlreadyExists(applicationId, state.phase);
    const spec = requireSpec('data.spec', data.spec);
    const by = { createdAt: meta.now, createdBy: meta.actor };
    return [
      { type: 'ApplicationCreated', data: { applicationId, ...by } },
      { type: 'ApplicationRevisionCreated', data: { applicationId, revision: 1, spec, ...by } },
    ];
  }
  if (state.phase === 'Initial') throw new ApplicationNotFound(applicationId);
  const app = state;

  switch (command.type) {
    case 'UpdateApplication': {
      const spec = requireSpec('data.spec', data.spec);
      refuseIn(app, command.type, ['Stopping', 'Deleting', 'Deleted']);
      const latest = latestRevision(app);
      if (sameValue(app.revisions[latest - 1].spec, spec)) return [];
      return [{ type: 'ApplicationRevisionCreated', data: { applicationId, revision: latest + 1, spec, createdAt: meta.now, createdBy: meta.actor } }];
    }
    case 'DeployApplication':
      return decideDeploy(app, data, meta);
    case 'RecordDeviceDeploymentStarted':
    case 'RecordDeviceRunning':
    case 'RecordDeviceFailed':
      return decideDeviceOutcome(app, command.type, data, meta);
    case 'RecordDeviceOutcomes':
      return decideDeviceOutcomes(app, data, meta);
    case 'AdvanceWave':
      return decideAdvanceWave(app, data, meta);
    case 'PauseRollout':
      return decidePause(app, data, meta);
    case 'ResumeRollout':
      return decideResume(app, meta);
    case 'RollbackRollout':
      return decideRollback(app, data, meta);
    case 'StopApplication':
      if (app.phase === 'Stopping' || app.phase === 'Stopped') return [];
      refuseIn(app, command.type, ['Deleting', 'Deleted']);
      return windDown(app, 'stop', meta);
    case 'DeleteApplication':
      if (app.phase === 'Deleting' || app.phase === 'Deleted') return [];
      return windDown(app, 'delete', meta);
    case 'RecordDeviceStopped':
      return decideDeviceStopped(app, requireName('data.device', data.device), meta);
    case 'ConfirmDeleted':
      if (app.phase === 'Deleted') return [];
      if (app.phase !== 'Deleting') throw new InvalidTransition(command.type, 'application', applicationId, describeState(app));
      return [deleted(app, [...app.pendingStop], meta)];
    default:
      return unknownCommand('application', command);
  }
}

/**
 * Stop and delete both cancel an unfinished rollout and list the devices to stop;
 * with none left to stop they finish in the same decision.
 */
function windDown(app: Application, goal: 'stop' | 'delete', meta: CommandMetadata): ApplicationEvent[] {
  const devices = activeDevices(app);
  const data = {
    applicationId: app.applicationId,
    devices,
    cancelledRollout: isRolloutActive(app.rollout) ? app.rollout.rollout : null,
    requestedAt: meta.now,
    requestedBy: meta.actor,
  };
  const started: ApplicationEvent = goal === 'stop' ? { type: 'ApplicationStopping', data } : { type: 'ApplicationDeleting', data };
  return devices.length > 0 ? [started] : [started, finished(app, goal, meta)];
}

function decideDeviceStopped(app: Application, device: string, meta: CommandMetadata): ApplicationEvent[] {
  if (app.phase !== 'Stopping' && app.phase !== 'Deleting') {
    // A repeated report is harmless; a stop nobody asked for is not.
    if (deviceDeployment(app, device)?.status === 'Stopped') return [];
    throw new InvalidTransition('RecordDeviceStopped', 'application', app.applicationId, describeState(app));
  }
  if (!app.pendingStop.includes(device)) return [];
  const stopped: ApplicationEvent = { type: 'DeviceStopped', data: { applicationId: app.applicationId, device, stoppedAt: meta.now } };
  if (app.pendingStop.length > 1) return [stopped];
  return [stopped, finished(app, app.phase === 'Stopping' ? 'stop' : 'delete', meta)];
}

function finished(app: Application, goal: 'stop' | 'delete', meta: CommandMetadata): ApplicationEvent {
  return goal === 'stop' ? { type: 'ApplicationStopped', data: { applicationId: app.applicationId, stoppedAt: meta.now } } : deleted(app, [], meta);
}

function deleted(app: Application, abandonedDevices: string[], meta: CommandMetadata): ApplicationEvent {
  return { type: 'ApplicationDeleted', data: { applicationId: app.applicationId, abandonedDevices, deletedAt: meta.now, deletedBy: meta.actor } };
}

function refuseIn(app: Application, command: string, phases: readonly ApplicationPhase[]): void {
  if (phases.includes(app.phase)) throw new InvalidTransition(command, 'application', app.applicationId, describeState(app));
}
