import type { Application } from '@wasmbed/proto';
import type { ResourceOf, SyncKind } from './resources';
import type { FleetOf } from './rules/kind-rules';
import { keepTransitionTimes, moduleSha256Of, projectApplicationStatus, projectDeviceStatus, projectGatewayStatus, type Condition } from './status';

/** A status for an object whose fleet resource does not exist (its spec was refused, or not sent yet). */
export const NOT_IN_FLEET_PHASE = 'NotInFleet';

/**
 * The status of one object: the read model's projection (status/) with the sync's own
 * Synced condition, or only that condition while the fleet lacks the resource.
 */
export function statusFor<K extends SyncKind>(
  kind: K,
  resource: ResourceOf<K>,
  fleet: FleetOf[K] | undefined,
  synced: Condition,
  application: (name: string) => Application | undefined,
): object {
  const previousConditions = resource.status?.conditions;
  const extra = { conditions: [synced], observedGeneration: synced.observedGeneration, previousConditions };
  if (fleet === undefined) {
    return { phase: NOT_IN_FLEET_PHASE, observedGeneration: synced.observedGeneration, conditions: keepTransitionTimes(previousConditions, [synced]) };
  }
  switch (kind) {
    case 'Device':
      return projectDeviceStatus(fleet as FleetOf['Device'], {
        ...extra,
        moduleSha256Of: (app, revision) => {
          const found = application(app);
          return found === undefined ? undefined : moduleSha256Of(found, revision);
        },
      });
    case 'Application':
      return projectApplicationStatus(fleet as FleetOf['Application'], extra);
    default:
      return projectGatewayStatus(fleet as FleetOf['Gateway'], extra);
  }
}
