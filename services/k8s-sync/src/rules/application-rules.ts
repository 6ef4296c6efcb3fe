import { ApplicationPhase, type Application } from '@wasmbed/proto';
import { commandIdFor } from '../command-ids';
import type { Step } from '../fleet-commands';
import { ANNOTATIONS, annotationNumber, type ObjectMeta } from '../resources';
import { canonicalOfFleet, canonicalOfResource, sameSpec, specFromFleet, toRequestSpec, type CanonicalSpec } from '../specs/application-spec';
import type { KindRules } from './kind-rules';

const DELETING = ApplicationPhase.APPLICATION_PHASE_DELETING;

const latestOf = (app: Application) => app.revisions.find((r) => r.revision === app.latestRevision) ?? app.revisions.at(-1);
const recordedRevision = (meta: ObjectMeta) => annotationNumber(meta, ANNOTATIONS.fleetRevision);

/** The newest revision whose spec is `wanted` (a spec equal to an older revision rolls back to it). */
function revisionWith(app: Application, wanted: CanonicalSpec): number | undefined {
  for (let i = app.revisions.length - 1; i >= 0; i -= 1) {
    const r = app.revisions[i]!;
    if (r.spec !== undefined && sameSpec(canonicalOfFleet(r.spec), wanted)) return r.revision;
  }
  return undefined;
}

/**
 * Applications are compared by revision: every spec change is a new revision, so the
 * latest revision number tells whether someone else (the CLI) created one since the sync.
 * Application commands carry no expected version: an UpdateApplication equal to the
 * latest revision creates nothing, and a rollout in flight moves the version all the time.
 */
export const applicationRules: KindRules<'Application'> = {
  kind: 'Application',
  vanishes: true,

  mirrors: (app) => app.phase !== DELETING && app.revisions.length > 0,

  specFromFleet: (app, current) => specFromFleet(latestOf(app)!.spec!, current),

  marker: (app) => ({ [ANNOTATIONS.fleetRevision]: String(app.latestRevision) }),
  markerMissing: (resource) => recordedRevision(resource.metadata) === undefined,
  stale: (resource, app) => app.latestRevision < (recordedRevision(resource.metadata) ?? 0),
  movedOn: (resource, app) => app.latestRevision > (recordedRevision(resource.metadata) ?? 0),

  differs(spec, app) {
    const latest = latestOf(app)?.spec;
    return latest === undefined || !sameSpec(canonicalOfFleet(latest), canonicalOfResource(spec));
  },

  applySteps({ name, uid, generation, spec, fleet: app, deviceExists }) {
    // The api would create the revision and refuse only the deploy: check first, so a refused spec changes nothing.
    const unknown = (spec.targetDevices.deviceNames ?? []).filter((device) => !deviceExists(device));
    if (unknown.length > 0) return { reason: 'DeviceNotFound', message: `target devices not in the fleet: ${[...new Set(unknown)].sort().join(', ')} (register them first)` };
    const step = (id: string, command: Step['command']): Step => ({ commandId: commandIdFor('Application', uid, generation, id), expectedVersion: 0, command });
    const deploy = (revision: number | 'created') => step('deploy', { type: 'DeployApplication', request: { name, revision } });
    if (app === undefined) return [step('create', { type: 'CreateApplication', request: { name, spec: toRequestSpec(spec) } }), deploy('created')];
    if (app.phase === DELETING) return { reason: 'ApplicationDeleting', message: `application '${name}' is being deleted in the fleet; its name cannot be used again` };
    const revision = revisionWith(app, canonicalOfResource(spec));
    if (revision === undefined) return [step('update', { type: 'UpdateApplication', request: { name, spec: toRequestSpec(spec) } }), deploy('created')];
    return revision === app.deployedRevision ? [] : [deploy(revision)];
  },

  cleanupSteps: (name, uid) => [
    { commandId: commandIdFor('Application', uid, 'delete', 'delete'), expectedVersion: 0, command: { type: 'DeleteApplication', request: { name } } },
  ],

  // Deleting ends once every device stopped it and the read model dropped it.
  cleanedUp: (app) => app === undefined,
};
