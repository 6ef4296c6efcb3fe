import type { NatsConnection } from '@nats-io/transport-node';
import type { ApplicationCommand, ApplicationEvent, ApplicationRevisionCreated, ApplicationState, CommandMetadata } from '@wasmbed/domain';
import { hasModule, putModule } from '@wasmbed/device-bus';
import type { ApplicationSpec, WasmModule } from '@wasmbed/proto';
import type { z } from 'zod';
import { callContextOf } from '../commands/call-context';
import type { CommandOutcome, CommandRunner } from '../commands/command-runner';
import { assertNamedDevicesCanRun } from '../commands/deploy-targets';
import type { Operation } from '../commands/operation';
import type { CommandRequest } from '../grpc/command-handler';
import type { ReadModels } from '../queries/read-models';
import { admittedApplication } from './admitting-decider';
import { ModuleNotInStore } from './errors';
import { checkInlineModule } from './module-content';
import type { PublisherTrust } from './publisher-trust';
import { revisionManifest } from './revision-manifest';

export interface AdmissionDeps {
  readonly nc: NatsConnection;
  readonly commands: CommandRunner;
  readonly readModels: ReadModels;
  readonly trust: PublisherTrust;
}

export interface SpecCommandSpec<Req extends CommandRequest & { spec: ApplicationSpec }, Res> {
  readonly schema: z.ZodType<Req>;
  readonly build: (request: Req, metadata: CommandMetadata) => ApplicationCommand;
  readonly respond: (outcome: CommandOutcome<ApplicationEvent, ApplicationState>) => Res;
}

/**
 * Create/UpdateApplication with admission, nothing stored before every check
 * passed: the command is first decided without writing (domain validation,
 * trusted publisher, signature over the new revision's manifest), then the
 * module is checked (inline: size, hash, WebAssembly; uri: already in the
 * module store) and named target devices must be able to run it; only then is
 * an inline module put in the module store, and the command run for real
 * (which checks the signature again against the revision it really creates).
 */
export function admittedSpecOperation<Req extends CommandRequest & { spec: ApplicationSpec }, Res>(
  deps: AdmissionDeps,
  spec: SpecCommandSpec<Req, Res>,
): Operation<Req, Res> {
  const target = admittedApplication(deps.trust);
  return {
    role: 'operator',
    schema: spec.schema,
    async run(request, caller) {
      const call = callContextOf(request.commandId, caller);
      const build = (metadata: CommandMetadata) => spec.build(request, metadata);
      const created = revisionCreated(await deps.commands.preview(target, request.name, call, build, request.expectedVersion));
      const module = request.spec.module as WasmModule;
      const content = module.source?.$case === 'inlineContent' ? module.source.value : undefined;
      const sha256 = module.sha256.toString('hex');
      if (content !== undefined) checkInlineModule({ sha256, sizeBytes: module.sizeBytes }, content);
      else if (!(await hasModule(deps.nc, sha256))) throw new ModuleNotInStore(sha256);
      if (created !== undefined && 'deviceNames' in created.spec.targets) {
        const { revision, spec: revisionSpec } = created;
        const devices = (await deps.readModels.devices.documents()).map(({ doc }) => doc);
        const what = `revision ${revision} of application '${request.name}'`;
        assertNamedDevicesCanRun(what, created.spec.targets.deviceNames, revisionManifest(request.name, revision, revisionSpec), devices);
      }
      // Content-addressed: a retry stores nothing new.
      if (content !== undefined) await putModule(deps.nc, content);
      const outcome = await deps.commands.run(target, request.name, call, build, { expectedVersion: request.expectedVersion });
      return spec.respond(outcome);
    },
  };
}

function revisionCreated(events: readonly ApplicationEvent[]): ApplicationRevisionCreated['data'] | undefined {
  for (const event of events) if (event.type === 'ApplicationRevisionCreated') return event.data;
  return undefined;
}
