import { ANNOTATIONS, annotationNumber, type CustomResource } from '../resources';

/**
 * Marker rules of aggregates whose read model carries their version (Device, Gateway):
 * the version recorded after a sync tells a stale read model (below) from a fleet that
 * moved on (above).
 */
export const versionMarker = {
  marker: (fleet: { version: number }): Record<string, string> => ({ [ANNOTATIONS.fleetVersion]: String(fleet.version) }),
  markerMissing: (resource: CustomResource<unknown>): boolean => annotationNumber(resource.metadata, ANNOTATIONS.fleetVersion) === undefined,
  stale: (resource: CustomResource<unknown>, fleet: { version: number }): boolean => fleet.version < (annotationNumber(resource.metadata, ANNOTATIONS.fleetVersion) ?? 0),
  movedOn: (resource: CustomResource<unknown>, fleet: { version: number }): boolean => fleet.version > (annotationNumber(resource.metadata, ANNOTATIONS.fleetVersion) ?? 0),
};
