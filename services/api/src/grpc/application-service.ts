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
import { admittedSpecOperation, type AdmissionDeps } from '../admission/admitted-spec-operation';
import { callContextOf, grpcCaller } from '../commands/call-context';
import type { CommandOutcome } from '../commands/command-runner';
import { planDeployment } from '../commands/deploy-targets';
import { APPLICATION } from '../commands/targets';
import { RollbackRevisionMismatch } from '../errors';
import type { Logger } from '../logger';
import { applicationFilter } from '../queries/filters';
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
import { commandHandler, operationHandler } from './command-handler';
import { getHandler, listHandler, watchHandler } from './query-handlers';
import { bytesOfLength, checked, commandFields, nonEmpty } from './request-schemas';

export interface ApplicationServiceDeps extends AdmissionDeps {
  readonly logger: Logger;
}

const specSchema = z.looseObject(
  {
    module: z.looseObject(
      {
        sha256: bytesOfLength(32, 'the SHA-256 of the module'),
        source: z.unknown().refine((source) => source !== undefined, 'is required: set uri or inlineContent'),
      },
      'is required',
    ),
    manifestSignature: bytesOfLength(64, 'an Ed25519 signature'),
    publisherKey: bytesOfLength(32, 'an Ed25519 public key'),
    config: z.looseObject(
      {
        // Part of the signed manifest, which has no "device default".
        memoryLimitBytes: z.number().int().min(1, 'must be set (at least 1 byte): the memory limit is part of the signed manifest'),
      },
      'is required',
    ),
  },
  'is required',
);

const revisionOf = (outcome: CommandOutcome<ApplicationEvent, unknown>) => (outcome.state as ApplicationState).rollout?.revision ?? 0;

/** ApplicationService: every method implemented. */
export function applicationService(deps: ApplicationServiceDeps): ApplicationServiceServer {
  const { commands, readModels, logger } = deps;
  return {
    createApplication: operationHandler(
      admittedSpecOperation(deps, {
        schema: checked<WithSpec<CreateApplicationRequest>>({ ...commandFields, spec: specSchema }),
        build: toCreateApplication,
        respond: (outcome) => ({ version: outcome.version, revision: 1 }),
      }),
    ),
    updateApplication: operationHandler(
      admittedSpecOperation(deps, {
        schema: checked<WithSpec<UpdateApplicationRequest>>({ ...commandFields, spec: specSchema }),
        build: toUpdateApplication,
        // An unchanged spec creates no revision: the latest one is the answer.
        respond: (outcome) => ({ version: outcome.version, revision: createdRevision(outcome.events) ?? (outcome.state as ApplicationState).revisions.length }),
      }),
    ),
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
        const call = callContextOf(request.commandId, grpcCaller(ctx.principal.subject, ctx.metadata));
        const outcome = await commands.run(rollingBackTo(request.name, request.toRevision), request.name, call, (metadata) => toRollbackRollout(request, metadata), {
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
        const devices = (await readModels.devices.documents()).map(({ doc }) => doc);
        const plan = planDeployment(app.app, request.revision, devices);
        const call = callContextOf(request.commandId, grpcCaller(ctx.principal.subject, ctx.metadata));
        const outcome = await commands.run(APPLICATION, request.name, call, (metadata) => toDeployApplication(request.name, plan.revision, plan.targets, metadata), {
          expectedVersion: request.expectedVersion,
        });
        if (plan.excluded.length > 0) {
          logger.info('devices left out of a rollout: they cannot run the revision', {
            application: request.name,
            revision: plan.revision,
            excluded: plan.excluded,
            commandId: call.commandId,
          });
        }
        return {
          version: outcome.version,
          revision: revisionOf(outcome) || plan.revision,
          excludedDevices: plan.excluded.map(({ device, reasons }) => ({ device, reasons: [...reasons] })),
        };
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
