import { ApplicationNotFound, type Application as ApplicationState, type ApplicationEvent } from '@wasmbed/domain';
import type {
  DeployApplicationRequest,
  DeployApplicationResponse,
  PauseRolloutRequest,
  ResumeRolloutRequest,
  RollbackRolloutRequest,
  RollbackRolloutResponse,
  StopApplicationRequest,
} from '@wasmbed/proto';
import { callContextOf } from '../commands/call-context';
import type { CommandOutcome, CommandRunner } from '../commands/command-runner';
import { planDeployment } from '../commands/deploy-targets';
import type { Operation } from '../commands/operation';
import { APPLICATION } from '../commands/targets';
import { RollbackRevisionMismatch } from '../errors';
import type { Logger } from '../logger';
import type { ReadModels } from '../queries/read-models';
import { toDeployApplication, toPauseRollout, toResumeRollout, toRollbackRollout, toStopApplication } from './application-mapping';
import { commandOperation } from './command-handler';
import { checked, commandFields, nonEmpty } from './request-schemas';

export interface ApplicationOperationDeps {
  readonly commands: CommandRunner;
  readonly readModels: ReadModels;
  readonly logger: Logger;
}

/** ApplicationService's rollout commands, shared by gRPC and the HTTP routes. */
export type ApplicationOperations = ReturnType<typeof applicationOperations>;

const revisionOf = (outcome: CommandOutcome<ApplicationEvent, unknown>) => (outcome.state as ApplicationState).rollout?.revision ?? 0;

export function applicationOperations({ commands, readModels, logger }: ApplicationOperationDeps) {
  return {
    stopApplication: commandOperation(commands, {
      role: 'operator',
      schema: checked<StopApplicationRequest>(commandFields),
      target: APPLICATION,
      build: toStopApplication,
    }),
    pauseRollout: commandOperation(commands, {
      role: 'operator',
      schema: checked<PauseRolloutRequest>(commandFields),
      target: APPLICATION,
      build: toPauseRollout,
    }),
    resumeRollout: commandOperation(commands, {
      role: 'operator',
      schema: checked<ResumeRolloutRequest>(commandFields),
      target: APPLICATION,
      build: toResumeRollout,
    }),
    rollbackRollout: {
      role: 'operator',
      schema: checked<RollbackRolloutRequest>({ ...commandFields, reason: nonEmpty }),
      async run(request, caller) {
        const outcome = await commands.run(rollingBackTo(request.name, request.toRevision), request.name, callContextOf(request.commandId, caller), (metadata) => toRollbackRollout(request, metadata), {
          expectedVersion: request.expectedVersion,
        });
        return { version: outcome.version, revision: revisionOf(outcome) };
      },
    } satisfies Operation<RollbackRolloutRequest, RollbackRolloutResponse>,
    deployApplication: {
      role: 'operator',
      schema: checked<DeployApplicationRequest>(commandFields),
      async run(request, caller) {
        const app = await readModels.applications.find(request.name);
        if (app === undefined) throw new ApplicationNotFound(request.name);
        const devices = (await readModels.devices.documents()).map(({ doc }) => doc);
        const plan = planDeployment(app.app, request.revision, devices);
        const call = callContextOf(request.commandId, caller);
        const outcome = await commands.run(APPLICATION, request.name, call, (metadata) => toDeployApplication(request.name, plan.revision, plan.targets, metadata, request.strategy), {
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
    } satisfies Operation<DeployApplicationRequest, DeployApplicationResponse>,
  };
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
