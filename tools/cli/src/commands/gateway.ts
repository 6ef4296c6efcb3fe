import { Gateway, GatewayPhase } from '@wasmbed/proto';
import { parseChoice } from '../args/values';
import type { Command } from '../command';
import type { ApiClient } from '../client';
import { enumChoices, enumShortName } from '../enums';
import { formatDuration, formatTime, orDash } from '../output/format';
import { collectPages } from './requests';
import { present } from './responses';

const PHASES = enumChoices(GatewayPhase, 'GATEWAY_PHASE_');
export const gatewayPhaseName = (phase: GatewayPhase) => enumShortName(GatewayPhase, 'GATEWAY_PHASE_', phase);

/** Every gateway matching the filter, all pages. */
export function listAllGateways(api: ApiClient, filter: { phase?: GatewayPhase; region?: string } = {}): Promise<Gateway[]> {
  return collectPages(async (pageToken) => {
    const page = await api.unary('gateways', 'listGateways', {
      pageSize: 1000,
      pageToken,
      phase: filter.phase ?? GatewayPhase.GATEWAY_PHASE_UNSPECIFIED,
      region: filter.region ?? '',
    });
    return { items: page.gateways, nextPageToken: page.nextPageToken };
  });
}

/** "on until 2026-11-23 13:26:08Z" or "off". */
export function pairingText(gateway: Gateway): string {
  return gateway.pairing?.enabled ? `on until ${formatTime(gateway.pairing.until)}` : 'off';
}

const list: Command = {
  path: ['gateway', 'list'],
  summary: 'List gateways',
  flags: {
    phase: { type: 'string', value: 'PHASE', help: `only gateways in this phase (${[...PHASES.keys()].join(', ')})` },
    region: { type: 'string', value: 'REGION', help: 'only gateways in this region' },
  },
  async run({ args, api, out }) {
    const gateways = await listAllGateways(api(), { phase: args.value('phase', (t) => parseChoice(t, PHASES)), region: args.string('region') });
    if (out.json) return out.jsonValue({ gateways: gateways.map((g) => Gateway.toJSON(g)) });
    out.table(
      ['NAME', 'PHASE', 'ENDPOINT', 'REGION', 'DEVICES', 'PAIRING', 'LAST SEEN'],
      gateways.map((g) => [g.name, gatewayPhaseName(g.phase), orDash(g.endpoint), orDash(g.region), `${g.connectedDevices}/${g.capacity}`, pairingText(g), formatTime(g.lastSeenAt)]),
      'No gateways.',
    );
  },
};

const show: Command = {
  path: ['gateway', 'show'],
  usage: 'NAME',
  arity: [1, 1],
  summary: 'Show one gateway',
  async run({ args, api, out }) {
    const gateway = present((await api().unary('gateways', 'getGateway', { name: args.arg(0) })).gateway, 'a gateway');
    if (out.json) return out.jsonValue(Gateway.toJSON(gateway));
    out.fields([
      ['Name', gateway.name],
      ['Phase', gatewayPhaseName(gateway.phase)],
      ['Endpoint', orDash(gateway.endpoint)],
      ['Region', orDash(gateway.region)],
      ['Devices', `${gateway.connectedDevices} connected, capacity ${gateway.capacity}`],
      ['Heartbeat', formatDuration(gateway.heartbeatIntervalSeconds * 1000)],
      ['Enrollment timeout', formatDuration(gateway.enrollmentTimeoutSeconds * 1000)],
      ['Instance', orDash(gateway.instanceId)],
      ['Pairing', pairingText(gateway)],
      ['Registered', formatTime(gateway.registeredAt)],
      ['Last seen', formatTime(gateway.lastSeenAt)],
      ['Version', String(gateway.version)],
    ]);
  },
};

export const GATEWAY_COMMANDS: readonly Command[] = [list, show];
