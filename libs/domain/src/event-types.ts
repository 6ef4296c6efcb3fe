import { AGGREGATE_TYPES, type AggregateType } from './aggregates';
import type { ApplicationEvent } from './application/events';
import type { DeviceEvent } from './device/events';
import type { GatewayEvent } from './gateway/events';

/**
 * Every event type per aggregate with its current schema version. Typed as a
 * full record of each union, so adding an event without listing it here fails to
 * compile. Bump a version when an event's data changes shape (and add an upcaster
 * where the event store registry is built).
 */
export const EVENT_TYPES: {
  readonly device: { readonly [T in DeviceEvent['type']]: number };
  readonly application: { readonly [T in ApplicationEvent['type']]: number };
  readonly gateway: { readonly [T in GatewayEvent['type']]: number };
} = {
  [AGGREGATE_TYPES.device]: {
    DeviceRegistered: 1,
    DeviceEnrollmentRequested: 1,
    DeviceEnrolled: 1,
    DeviceRejected: 1,
    DeviceConnected: 1,
    DeviceDisconnected: 1,
    DeviceUnreachable: 1,
    DeviceRevoked: 1,
    DeviceLabelsUpdated: 1,
    DeviceGatewayAssigned: 1,
    DeviceCapabilitiesReported: 1,
  },
  [AGGREGATE_TYPES.application]: {
    ApplicationCreated: 1,
    ApplicationRevisionCreated: 1,
    RolloutStarted: 1,
    WaveStarted: 1,
    DeviceDeploymentStarted: 1,
    DeviceRunning: 1,
    DeviceDeploymentFailed: 1,
    WaveCompleted: 1,
    RolloutPaused: 1,
    RolloutResumed: 1,
    RolloutCompleted: 1,
    RolloutFailed: 1,
    RolloutRolledBack: 1,
    ApplicationStopping: 1,
    DeviceStopped: 1,
    ApplicationStopped: 1,
    ApplicationDeleting: 1,
    ApplicationDeleted: 1,
  },
  [AGGREGATE_TYPES.gateway]: {
    GatewayRegistered: 1,
    GatewayConfigUpdated: 1,
    GatewayOnline: 1,
    GatewayOffline: 1,
    GatewayDraining: 1,
    GatewayResumed: 1,
    GatewayDeregistered: 1,
    PairingModeEnabled: 1,
    PairingModeDisabled: 1,
  },
};

/** The event types of one aggregate type, or of all aggregates of a list (one context). */
export function eventTypesOf(aggregateTypes: readonly AggregateType[]): Readonly<Record<string, number>> {
  return Object.assign({}, ...aggregateTypes.map((t) => EVENT_TYPES[t]));
}
