import { isPairingModeActive, type Gateway as GatewayState } from '@wasmbed/domain';
import { unaryHandler, type HandlerContext } from '@wasmbed/grpc-kit';
import type {
  ApproveDeviceRequest,
  AssignGatewayRequest,
  DeviceServiceServer,
  GatewayPairingResult,
  RegisterDeviceRequest,
  RejectDeviceRequest,
  RevokeDeviceRequest,
  SetPairingModeRequest,
  SetPairingModeResponse,
  UpdateDeviceLabelsRequest,
} from '@wasmbed/proto';
import { z } from 'zod';
import { callContextOf } from '../commands/call-context';
import type { CommandRunner } from '../commands/command-runner';
import { DEVICE, GATEWAY } from '../commands/targets';
import { ResourceNotFound } from '../errors';
import { allDocuments } from '../queries/collection-pages';
import { deviceFilter } from '../queries/filters';
import type { ReadModels } from '../queries/read-models';
import { COLLECTIONS, type GatewayDoc } from '../projections/documents';
import type { ObservedDocumentStore } from '../projections/observed-document-store';
import { commandHandler } from './command-handler';
import {
  toApproveDevice,
  toAssignGateway,
  toRegisterDevice,
  toRejectDevice,
  toRevokeDevice,
  toSetPairingMode,
  toUpdateDeviceLabels,
} from './device-mapping';
import { getHandler, listHandler, watchHandler } from './query-handlers';
import { bytesOfLength, checked, commandFields, nonEmpty, resourceName } from './request-schemas';

export interface DeviceServiceDeps {
  readonly commands: CommandRunner;
  readonly readModels: ReadModels;
  readonly fleetStore: ObservedDocumentStore;
}

/** DeviceService: every method implemented. */
export function deviceService({ commands, readModels, fleetStore }: DeviceServiceDeps): DeviceServiceServer {
  return {
    registerDevice: commandHandler(commands, {
      role: 'operator',
      schema: checked<RegisterDeviceRequest>({ ...commandFields, publicKey: bytesOfLength(32, 'an Ed25519 public key') }),
      target: DEVICE,
      build: toRegisterDevice,
    }),
    approveDevice: commandHandler(commands, {
      role: 'operator',
      schema: checked<ApproveDeviceRequest>(commandFields),
      target: DEVICE,
      build: toApproveDevice,
    }),
    rejectDevice: commandHandler(commands, {
      role: 'operator',
      schema: checked<RejectDeviceRequest>({ ...commandFields, reason: nonEmpty }),
      target: DEVICE,
      build: toRejectDevice,
    }),
    revokeDevice: commandHandler(commands, {
      role: 'operator',
      schema: checked<RevokeDeviceRequest>({ ...commandFields, reason: nonEmpty }),
      target: DEVICE,
      build: toRevokeDevice,
    }),
    updateDeviceLabels: commandHandler(commands, {
      role: 'operator',
      schema: checked<UpdateDeviceLabelsRequest>(commandFields),
      target: DEVICE,
      build: toUpdateDeviceLabels,
    }),
    assignGateway: commandHandler(commands, {
      role: 'operator',
      schema: checked<AssignGatewayRequest>({ ...commandFields, gateway: resourceName }),
      target: DEVICE,
      build: toAssignGateway,
      fieldRenames: { gatewayId: 'gateway' },
      // The device aggregate cannot see gateways; the read model can.
      async precheck(request) {
        const gateway = await readModels.gateways.find(request.gateway);
        if (gateway === undefined || gateway.gateway.status === 'Deregistered') throw new ResourceNotFound('gateway', [request.gateway]);
      },
    }),
    setPairingMode: unaryHandler<SetPairingModeRequest, SetPairingModeResponse, SetPairingModeRequest>({
      role: 'operator',
      schema: setPairingModeSchema,
      handle: (request, ctx) => setPairingMode(commands, fleetStore, request, ctx),
    }),
    getDevice: getHandler(readModels.devices, (device) => ({ device })),
    listDevices: listHandler(readModels.devices, deviceFilter, (devices, nextPageToken) => ({ devices, nextPageToken })),
    watchDevices: watchHandler(readModels.devices, deviceFilter, (kind, device, position) => ({ kind, device, position })),
  };
}

export const setPairingModeSchema = checked<SetPairingModeRequest>({
  commandId: commandFields.commandId,
  expectedVersion: commandFields.expectedVersion,
  target: z.discriminatedUnion(
    '$case',
    [
      z.object({ $case: z.literal('gateway'), value: resourceName }),
      z.object({ $case: z.literal('allGateways'), value: z.literal(true, 'must be true when chosen') }),
    ],
    'is required: set gateway or allGateways',
  ),
  durationSeconds: z.number().int().max(3600, 'must be at most 3600'),
});

/**
 * One gateway (with its expected version), or every gateway that can take the
 * change: registered ones, and when enabling, not draining (a draining
 * gateway refuses pairing). Each gateway is its own command, keyed by the
 * request's command id and the gateway's name so a retry repeats none.
 */
async function setPairingMode(
  commands: CommandRunner,
  fleetStore: ObservedDocumentStore,
  request: SetPairingModeRequest,
  ctx: HandlerContext,
): Promise<SetPairingModeResponse> {
  const call = callContextOf(request.commandId, ctx.principal.subject, ctx.metadata);
  const target = request.target;
  const names = target?.$case === 'gateway' ? [target.value] : await pairableGateways(fleetStore, request.enabled);
  const results: GatewayPairingResult[] = [];
  for (const name of names) {
    const perGateway = target?.$case === 'gateway' ? call : { ...call, commandId: `${call.commandId}/${name}` };
    const outcome = await commands.run(GATEWAY, name, perGateway, (metadata) => toSetPairingMode(name, request, metadata), {
      expectedVersion: target?.$case === 'gateway' ? request.expectedVersion : 0,
      fieldRenames: { gatewayId: 'gateway' },
    });
    const state = outcome.state as GatewayState;
    const enabled = isPairingModeActive(state, call.now);
    results.push({ gateway: name, enabled, until: enabled && state.pairingUntil ? new Date(state.pairingUntil) : undefined, version: outcome.version });
  }
  return { results };
}

async function pairableGateways(fleetStore: ObservedDocumentStore, enabling: boolean): Promise<string[]> {
  const names: string[] = [];
  for await (const { id, doc } of allDocuments<GatewayDoc>(fleetStore, COLLECTIONS.gateways)) {
    if (doc.gateway.status === 'Deregistered' || (enabling && doc.gateway.draining)) continue;
    names.push(id);
  }
  return names;
}
