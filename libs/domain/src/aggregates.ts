/** Aggregate type names: the `<aggregateType>` of event subjects `wasmbed.evt.<aggregateType>.<id>`. */
export const AGGREGATE_TYPES = {
  device: 'device',
  application: 'application',
  gateway: 'gateway',
} as const;

export type AggregateType = (typeof AGGREGATE_TYPES)[keyof typeof AGGREGATE_TYPES];

/**
 * Bounded contexts: each is one ordered event log. The fleet (devices and the
 * gateways they connect through) changes together; applications are apart.
 * Same shape as `BoundedContext` of @wasmbed/event-log.
 */
export const BOUNDED_CONTEXTS = [
  { name: 'fleet', aggregateTypes: [AGGREGATE_TYPES.device, AGGREGATE_TYPES.gateway] },
  { name: 'apps', aggregateTypes: [AGGREGATE_TYPES.application] },
] as const;

export type BoundedContextName = (typeof BOUNDED_CONTEXTS)[number]['name'];

/** Typed per aggregate type, so a new aggregate cannot compile without a context. */
const CONTEXT_OF: { readonly [T in AggregateType]: BoundedContextName } = {
  device: 'fleet',
  gateway: 'fleet',
  application: 'apps',
};

export function contextOf(aggregateType: AggregateType): BoundedContextName {
  return CONTEXT_OF[aggregateType];
}
