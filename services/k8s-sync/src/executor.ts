import { status } from '@grpc/grpc-js';
import type { Logger } from '@wasmbed/service-kit';
import type { FleetCommand, FleetCommandType, Step } from './fleet-commands';
import { describeApiFailure, type ApiFailure, type FleetApi } from './fleet/api-client';

/** What a command answered: the aggregate's version after it, and the revision it created (applications). */
interface CommandResult {
  readonly version: number;
  readonly revision?: number;
}

export type RunOutcome =
  | { readonly ok: true; readonly lastVersion: number; readonly createdRevision?: number }
  | { readonly ok: false; readonly failure: ApiFailure; readonly failedStep: Step; readonly applied: number };

export type CommandOutcome = 'applied' | 'refused' | 'stale' | 'failed';

export interface CommandExecutorOptions {
  readonly api: FleetApi;
  readonly logger: Logger;
  readonly onOutcome?: (type: FleetCommandType, outcome: CommandOutcome) => void;
}

/**
 * Sends a plan's steps in order through the api and stops at the first failure. Thin: the
 * plan already holds every id and value; only the chained expected version and the
 * revision a previous step created are filled in here.
 */
export class CommandExecutor {
  constructor(private readonly options: CommandExecutorOptions) {}

  async run(steps: readonly Step[]): Promise<RunOutcome> {
    let lastVersion = 0;
    let createdRevision: number | undefined;
    for (const [index, step] of steps.entries()) {
      const expectedVersion = step.expectedVersion === 'chain' ? lastVersion : step.expectedVersion;
      try {
        const result = await this.send(step.command, step.commandId, expectedVersion, createdRevision);
        lastVersion = result.version;
        if (step.command.type === 'CreateApplication' || step.command.type === 'UpdateApplication') createdRevision = result.revision;
        this.options.onOutcome?.(step.command.type, 'applied');
        this.options.logger.info('command applied', { command: step.command.type, commandId: step.commandId, version: result.version });
      } catch (err) {
        const failure = describeApiFailure(err);
        const outcome: CommandOutcome = failure.class === 'refused' ? 'refused' : failure.class === 'stale' ? 'stale' : 'failed';
        this.options.onOutcome?.(step.command.type, outcome);
        this.options.logger.info('command not applied', { command: step.command.type, commandId: step.commandId, code: status[failure.code], reason: failure.reason, message: failure.message });
        return { ok: false, failure, failedStep: step, applied: index };
      }
    }
    return { ok: true, lastVersion, ...(createdRevision === undefined ? {} : { createdRevision }) };
  }

  private send(command: FleetCommand, commandId: string, expectedVersion: number, createdRevision: number | undefined): Promise<CommandResult> {
    const { api } = this.options;
    const ids = { commandId, expectedVersion };
    switch (command.type) {
      case 'RegisterDevice':
        return api.call((m, o, done) => api.devices.registerDevice({ ...command.request, ...ids }, m, o, done));
      case 'UpdateDeviceLabels':
        return api.call((m, o, done) => api.devices.updateDeviceLabels({ ...command.request, ...ids }, m, o, done));
      case 'AssignGateway':
        return api.call((m, o, done) => api.devices.assignGateway({ ...command.request, ...ids }, m, o, done));
      case 'RevokeDevice':
        return api.call((m, o, done) => api.devices.revokeDevice({ ...command.request, ...ids }, m, o, done));
      case 'CreateApplication':
        return api.call((m, o, done) => api.apps.createApplication({ ...command.request, ...ids }, m, o, done));
      case 'UpdateApplication':
        return api.call((m, o, done) => api.apps.updateApplication({ ...command.request, ...ids }, m, o, done));
      case 'DeployApplication': {
        const revision = command.request.revision === 'created' ? (createdRevision ?? 0) : command.request.revision;
        return api.call((m, o, done) => api.apps.deployApplication({ name: command.request.name, revision, strategy: undefined, ...ids }, m, o, done));
      }
      case 'DeleteApplication':
        return api.call((m, o, done) => api.apps.deleteApplication({ ...command.request, ...ids }, m, o, done));
      case 'RegisterGateway':
        return api.call((m, o, done) => api.gateways.registerGateway({ ...command.request, ...ids }, m, o, done));
      case 'UpdateGatewayConfig':
        return api.call((m, o, done) => api.gateways.updateGatewayConfig({ ...command.request, ...ids }, m, o, done));
      case 'DrainGateway':
        return api.call((m, o, done) => api.gateways.drainGateway({ ...command.request, ...ids }, m, o, done));
      case 'DeregisterGateway':
        return api.call((m, o, done) => api.gateways.deregisterGateway({ ...command.request, ...ids }, m, o, done));
    }
  }
}
