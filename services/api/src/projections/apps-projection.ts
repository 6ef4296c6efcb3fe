import { deviceDeployment, deviceDeployments, evolveApplication, initialApplicationState, type Application, type ApplicationEvent } from '@wasmbed/domain';
import { defineProjection, domainEventOf, type Projection, type ProjectionDocuments } from '@wasmbed/read-models';
import { COLLECTIONS, type ApplicationDoc, type DeploymentsDoc, type DeviceApplicationView } from './documents';
import { nextRolloutViews } from './rollout-views';

/** Applications (with per-revision rollout progress) and, per device, what runs on it. */
export const appsProjection: Projection<ApplicationEvent> = defineProjection<ApplicationEvent>({
  name: 'api_apps',
  contexts: ['apps'],
  async handle(recorded, documents) {
    const event = domainEventOf(recorded);
    const id = recorded.stream.aggregateId;
    const previous = await documents.get<ApplicationDoc>(COLLECTIONS.applications, id);
    const before = previous?.app;
    const app = evolveApplication(before ?? initialApplicationState(), event) as Application;

    // Device documents first, the application last: a redelivered event then
    // recomputes the same device updates from the unchanged application.
    await updateDeployments(documents, id, event, before);
    if (event.type === 'ApplicationDeleted') {
      await documents.delete(COLLECTIONS.applications, id);
      return;
    }
    const doc: ApplicationDoc = {
      app,
      rollouts: nextRolloutViews(previous?.rollouts ?? {}, event, before),
      updatedAt: recorded.metadata.timestamp,
      version: recorded.position,
    };
    await documents.put(COLLECTIONS.applications, id, doc);
  },
});

async function updateDeployments(
  documents: ProjectionDocuments,
  application: string,
  event: ApplicationEvent,
  before: Application | undefined,
): Promise<void> {
  switch (event.type) {
    case 'DeviceDeploymentStarted': {
      const d = event.data;
      return setDeployment(documents, d.device, application, { revision: d.revision, status: 'Deploying', message: '', updatedAt: d.startedAt });
    }
    case 'DeviceRunning': {
      const d = event.data;
      return setDeployment(documents, d.device, application, { revision: d.revision, status: 'Running', message: '', updatedAt: d.runningAt });
    }
    case 'DeviceDeploymentFailed': {
      const d = event.data;
      return setDeployment(documents, d.device, application, { revision: d.revision, status: 'Failed', message: d.reason, updatedAt: d.failedAt });
    }
    case 'DeviceStopped': {
      const revision = before && deviceDeployment(before, event.data.device)?.revision;
      if (revision === undefined) return;
      return setDeployment(documents, event.data.device, application, { revision, status: 'Stopped', message: '', updatedAt: event.data.stoppedAt });
    }
    case 'ApplicationDeleted':
      for (const [device] of before ? deviceDeployments(before) : []) await setDeployment(documents, device, application, undefined);
      return;
    default:
      return;
  }
}

async function setDeployment(
  documents: ProjectionDocuments,
  device: string,
  application: string,
  view: DeviceApplicationView | undefined,
): Promise<void> {
  const current = (await documents.get<DeploymentsDoc>(COLLECTIONS.deployments, device))?.applications ?? {};
  const { [application]: _dropped, ...others } = current;
  const applications = view ? { ...others, [application]: view } : others;
  if (Object.keys(applications).length === 0) await documents.delete(COLLECTIONS.deployments, device);
  else await documents.put<DeploymentsDoc>(COLLECTIONS.deployments, device, { applications });
}
