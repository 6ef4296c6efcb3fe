import { isPairingModeActive } from '@wasmbed/domain';
import type { Gateway } from '@wasmbed/proto';
import { sendJson } from '@wasmbed/service-kit';
import type { GatewayDoc } from '../projections/documents';
import type { ResourceReader } from '../queries/resource-reader';
import type { HttpHandler } from './http-context';

/**
 * GET /api/v1/pairing: per registered gateway, whether pairing mode is on now
 * and until when (evaluated at read time, like Gateway.pairing).
 */
export function pairingStatusRoute(gateways: ResourceReader<GatewayDoc, Gateway>, clock: () => Date = () => new Date()): HttpHandler {
  return async ({ res }) => {
    const now = clock().toISOString();
    const status = (await gateways.documents())
      .filter(({ doc }) => doc.gateway.status !== 'Deregistered')
      .map(({ id, doc }) => {
        const enabled = isPairingModeActive(doc.gateway, now);
        return enabled && doc.gateway.pairingUntil !== null ? { gateway: id, enabled, until: doc.gateway.pairingUntil } : { gateway: id, enabled };
      });
    sendJson(res, 200, { gateways: status });
  };
}
