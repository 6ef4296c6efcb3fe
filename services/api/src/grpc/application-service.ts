import type { Application as ApplicationState, ApplicationEvent } from '@wasmbed/domain';
import type { RecordedEvent } from '@wasmbed/event-log';
import { domainEventOf } from '@wasmbed/read-models';
import type { ApplicationServiceServer, CreateApplicationRequest, DeleteApplicationRequest, UpdateApplicationRequest } from '@wasmbed/proto';
import { z } from 'zod';
import { admittedSpecOperation, type AdmissionDeps } from '../admission/admitted-spec-operation';
import { APPLICATION } from '../commands/targets';
import { applicationFilter } from '../queries/filters';
import { toCreateApplication, toDeleteApplication, toUpdateApplication, type WithSpec } from './application-mapping';
import type { ApplicationOperations } from './application-operations';
import { commandHandler, operationHandler } from './command-handler';
import { getHandler, listHandler, watchHandler } from './query-handlers';
import { bytesOfLength, checked, commandFields } from './request-schemas';

export interface ApplicationServiceDeps extends AdmissionDeps {
  /** Shared with the HTTP routes. */
  readonly operations: ApplicationOperations;
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

/** ApplicationService: every method implemented. */
export function applicationService(deps: ApplicationServiceDeps): ApplicationServiceServer {
  const { commands, readModels, operations } = deps;
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
    stopApplication: operationHandler(operations.stopApplication),
    pauseRollout: operationHandler(operations.pauseRollout),
    resumeRollout: operationHandler(operations.resumeRollout),
    rollbackRollout: operationHandler(operations.rollbackRollout),
    deployApplication: operationHandler(operations.deployApplication),
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
