import { isPairingModeActive, type Gateway as GatewayState } from '@wasmbed/domain';
import type { Gateway, GatewayPairingResult, SetPairingModeRequest, SetPairingModeResponse } from '@wasmbed/proto';
import { z } from 'zod';
import { toSetPairingMode } from '../grpc/device-mapping';
import { checked, commandFields, resourceName } from '../grpc/request-schemas';
import type { GatewayDoc } from '../projections/documents';
import type { ResourceReader } from '../queries/resource-reader';
import { callContextOf } from './call-context';
import type { CommandRunner } from './command-runner';
import type { Operation } from './operation';
import { GATEWAY } from './targets';

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
 * SetPairingMode on one gateway (with its expected version), or on every
 * gateway that can take the change: registered ones, and when enabling, not
 * draining (a draining gateway refuses pairing). Each gateway is its own
 * command, keyed by the request's command id and the gateway's name so a
 * retry repeats none.
 */
export function setPairingModeOperation(
  commands: CommandRunner,
  gateways: ResourceReader<GatewayDoc, Gateway>,
): Operation<SetPairingModeRequest, SetPairingModeResponse> {
  return {
    role: 'operator',
    schema: setPairingModeSchema,
    async run(request, caller) {
      const call = callContextOf(request.commandId, caller);
      const target = request.target;
      const names = target?.$case === 'gateway' ? [target.value] : await pairableGateways(gateways, request.enabled);
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
    },
  };
}

async function pairableGateways(gateways: ResourceReader<GatewayDoc, Gateway>, enabling: boolean): Promise<string[]> {
  return (await gateways.documents())
    .filter(({ doc }) => doc.gateway.status !== 'Deregistered' && !(enabling && doc.gateway.draining))
    .map(({ id }) => id);
}
