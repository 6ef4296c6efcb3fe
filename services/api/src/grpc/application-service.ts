import { ApplicationNotFound, type Application as ApplicationState, type ApplicationEvent } from '@wasmbed/domain';
import type { RecordedEvent } from '@wasmbed/event-log';
import { unaryHandler } from '@wasmbed/grpc-kit';
import { domainEventOf } from '@wasmbed/read-models';
import type {
  ApplicationServiceServer,
  CreateApplicationRequest,
  DeleteApplicationRequest,
  DeployApplicationRequest,
  DeployApplicationResponse,
  PauseRolloutRequest,
  ResumeRolloutRequest,
  RollbackRolloutRequest,
  StopApplicationRequest,
  UpdateApplicationRequest,
} from '@wasmbed/proto';
import { z } from 'zod';
import { callContextOf } from '../commands/call-context';
import type { CommandOutcome, CommandRunner } from '../commands/command-runner';
import { planDeployment } from '../commands/deploy-targets';
import { APPLICATION } from '../commands/targets';
import { RollbackRevisionMismatch } from '../errors';
import { COLLECTIONS, type DeviceDoc } from '../projections/documents';
import type { ObservedDocumentStore } from '../projections/observed-document-store';
import { allDocuments } from '../queries/collection-pages';
import { applicationFilter } from '../queries/filters';
import type { ReadModels } from '../queries/read-models';
import {
  toCreateApplication,
  toDeleteApplication,
  toDeployApplication,
  toPauseRollout,
  toResumeRollout,
  toRollbackRollout,
  toStopApplication,
  toUpdateApplication,
  type WithSpec,
} from './application-mapping';
import { commandHandler } from './command-handler';
import { getHandler, listHandler, watchHandler } from './query-handlers';
import { bytesOfLength, checked, commandFields, nonEmpty } from './request-schemas';

export interface ApplicationServiceDeps {
  readonly commands: CommandRunner;
  readonly readModels: ReadModels;
  readonly fleetStore: ObservedDocumentStore;
}

const specSchema = z.looseObject(
  {
    module: z.looseObject(
      {
        sha256: bytesOfLength(32, 'the SHA-256 of the module'),
        source: z
          .unknown()
          .refine(
            (source) => (source as { $case?: string } | undefined)?.$case !== 'inlineContent',
            'inlineContent is not supported yet: publish the module and pass its uri',
          ),
      },
      'is required',
    ),
    manifestSignature: bytesOfLength(64, 'an Ed25519 signature'),
    publisherKey: bytesOfLength(32, 'an Ed25519 public key'),
  },
  'is required',
);

const revisionOf = (outcome: CommandOutcome<ApplicationEvent, unknown>) => (outcome.state as ApplicationState).rollout?.revision ?? 0;

/** ApplicationService: every method implemented. */
export function applicationService({ commands, readModels, fleetStore }: ApplicationServiceDeps): ApplicationServiceServer {
  return {
    createApplication: commandHandler(commands, {
      role: 'operator',
      schema: checked<WithSpec<CreateApplicationRequest>>({ ...commandFields, spec: specSchema }),
      target: APPLICATION,
      build: toCreateApplication,
      respond: (outcome) => ({ version: outcome.version, revision: 1 }),
    }),
    updateApplication: commandHandler(commands, {
      role: 'operator',
      schema: checked<WithSpec<UpdateApplicationRequest>>({ ...commandFields, spec: specSchema }),
      target: APPLICATION,
      build: toUpdateApplication,
      // An unchanged spec creates no revision: the latest one is the answer.
      respond: (outcome) => ({ version: outcome.version, revision: createdRevision(outcome.events) ?? (outcome.state as ApplicationState).revisions.length }),
    }),
    deleteApplication: commandHandler(commands, {
      role: 'operator',
      schema: checked<DeleteApplicationRequest>(commandFields),
      target: APPLICATION,
      build: toDeleteApplication,
    }),
    stopApplication: commandHandler(commands, {
      role: 'operator',
      schema: checked<StopApplicationRequest>(commandFields),
      target: APPLICATION,
      build: toStopApplication,
    }),
    pauseRollout: commandHandler(commands, {
      role: 'operator',
      schema: checked<PauseRolloutRequest>(commandFields),
      target: APPLICATION,
      build: toPauseRollout,
    }),
    resumeRollout: commandHandler(commands, {
      role: 'operator',
      schema: checked<ResumeRolloutRequest>(commandFields),
      target: APPLICATION,
      build: toResumeRollout,
    }),
    rollbackRollout: unaryHandler({
      role: 'operator',
      schema: checked<RollbackRolloutRequest>({ ...commandFields, reason: nonEmpty }),
      async handle(request, ctx) {
        const outcome = await commands.run(rollingBackTo(request.name, request.toRevision), request.name, callContextOf(request.commandId, ctx.principal.subject, ctx.metadata), (metadata) => toRollbackRollout(request, metadata), {
          expectedVersion: request.expectedVersion,
        });
        return { version: outcome.version, revision: revisionOf(outcome) };
      },
    }),
    deployApplication: unaryHandler<DeployApplicationRequest, DeployApplicationResponse, DeployApplicationRequest>({
      role: 'operator',
      schema: checked<DeployApplicationRequest>({
        ...commandFields,
        strategy: z.undefined('is not supported yet: a rollout uses the strategy of the revision it deploys'),
      }),
      async handle(request, ctx) {
        const app = await readModels.applications.find(request.name);
        if (app === undefined) throw new ApplicationNotFound(request.name);
        const devices: DeviceDoc[] = [];
        for await (const { doc } of allDocuments<DeviceDoc>(fleetStore, COLLECTIONS.devices)) devices.push(doc);
        const plan = planDeployment(app.app, request.revision, devices);
        const outcome = await commands.run(APPLICATION, request.name, callContextOf(request.commandId, ctx.principal.subject, ctx.metadata), (metadata) => toDeployApplication(request.name, plan.revision, plan.targets, metadata), {
          expectedVersion: request.expectedVersion,
        });
        return { version: outcome.version, revision: revisionOf(outcome) || plan.revision };
      },
    }),
    getApplication: getHandler(readModels.applications, (application) => ({ application })),
    listApplications: listHandler(readModels.applications, applicationFilter, (applications, nextPageToken) => ({ applications, nextPageToken })),
    watchApplications: watchHandler(readModels.applications, applicationFilter, (kind, application, position) => ({ kind, application, position })),
  };
}

function createdRevision(events: readonly RecordedEvent<ApplicationEvent>[]): number | undefined {
  for (const event of events.map((e) => domainEventOf(e))) {
    if (event.type === 'ApplicationRevisionCreated') return event.data.revision;
  }
  return undefined;
}

/**
 * The domain chooses the revision a rollback returns to. A request naming
 * one is accepted only when it is that revision, checked on the state the
 * command is decided on, so nothing is written otherwise.
 */
function rollingBackTo(application: string, toRevision: number): typeof APPLICATION {
  if (toRevision === 0) return APPLICATION;
  const decider = APPLICATION.decider;
  return {
    aggregateType: APPLICATION.aggregateType,
    decider: {
      ...decider,
      decide(command, state) {
        const events = decider.decide(command, state);
        for (const event of events) {
          if (event.type === 'RolloutRolledBack' && event.data.toRevision !== toRevision) {
            throw new RollbackRevisionMismatch(application, toRevision, event.data.toRevision);
          }
        }
        return events;
      },
    },
  };
}
