import { matchesSelector } from '@wasmbed/domain';
import { ApplicationPhase, DevicePhase, GatewayPhase } from '@wasmbed/proto';
import { InvalidQuery } from '../errors';
import type { ApplicationDoc, DeviceDoc, GatewayDoc } from '../projections/documents';
import { applicationPhaseOf } from '../views/application-view';
import { DEVICE_PHASE } from '../views/device-view';
import { GATEWAY_PHASE } from '../views/gateway-view';
import type { DocumentFilter } from './collection-pages';
import { parseLabelSelector } from './label-selector';

type ProtoEnum = Record<number, string>;

/** UNSPECIFIED (0) selects every phase; an unknown number is refused rather than matching nothing. */
function phaseFilter(field: string, values: ProtoEnum, phase: number): number | undefined {
  if (phase === 0) return undefined;
  if (phase < 0 || values[phase] === undefined) throw new InvalidQuery(field, `${phase} is not a known value`);
  return phase;
}

export function deviceFilter(query: { labelSelector: string; phase: DevicePhase; gateway?: string }): DocumentFilter<DeviceDoc> {
  const selector = parseLabelSelector(query.labelSelector);
  const phase = phaseFilter('phase', DevicePhase, query.phase);
  const gateway = query.gateway ?? '';
  return {
    key: { selector, phase: phase ?? 0, gateway },
    matches: (doc) =>
      (phase === undefined || DEVICE_PHASE[doc.device.status] === phase) &&
      (gateway === '' || doc.gateway === gateway) &&
      matchesSelector(doc.device.labels, selector),
  };
}

export function gatewayFilter(query: { phase: GatewayPhase; region?: string }): DocumentFilter<GatewayDoc> {
  const phase = phaseFilter('phase', GatewayPhase, query.phase);
  const region = query.region ?? '';
  return {
    key: { phase: phase ?? 0, region },
    matches: (doc) => (phase === undefined || GATEWAY_PHASE[doc.gateway.status] === phase) && (region === '' || doc.gateway.config.region === region),
  };
}

export function applicationFilter(query: { phase: ApplicationPhase }): DocumentFilter<ApplicationDoc> {
  const phase = phaseFilter('phase', ApplicationPhase, query.phase);
  return { key: { phase: phase ?? 0 }, matches: (doc) => phase === undefined || applicationPhaseOf(doc) === phase };
}
