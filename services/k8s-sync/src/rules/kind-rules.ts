import type { Application, Device, Gateway } from '@wasmbed/proto';
import type { ResourceOf, SpecOf, SyncKind } from '../resources';
import type { Step } from '../fleet-commands';

/** The read-model message of each kind. */
export interface FleetOf {
  Device: Device;
  Application: Application;
  Gateway: Gateway;
}

export interface ApplyContext<K extends SyncKind> {
  readonly name: string;
  readonly uid: string;
  readonly generation: number;
  readonly spec: SpecOf[K];
  readonly fleet: FleetOf[K] | undefined;
  /** Whether the fleet has a device of this name (the device read model). */
  readonly deviceExists: (name: string) => boolean;
}

/** A spec the fleet cannot take as it is (reason is CamelCase, for the Synced condition). */
export interface Refusal {
  readonly reason: string;
  readonly message: string;
}

/**
 * What differs between the kinds; the planner (planner.ts) holds the common rules
 * (finalizer, who wins, deletion). Everything here is pure.
 */
export interface KindRules<K extends SyncKind> {
  readonly kind: K;
  /** Whether an object should exist in Kubernetes for this fleet resource (not revoked/deleting/deregistered). */
  mirrors(fleet: FleetOf[K]): boolean;
  /** The spec for a fleet resource, keeping what `current` holds that the fleet does not record. */
  specFromFleet(fleet: FleetOf[K], current?: SpecOf[K]): SpecOf[K];
  /** Annotations recording the fleet's state at a sync (see ANNOTATIONS). */
  marker(fleet: FleetOf[K]): Record<string, string>;
  /** The recorded marker is absent (e.g. an object from before this sync): take the current state as the baseline. */
  markerMissing(resource: ResourceOf<K>): boolean;
  /** The read model is older than what the last sync wrote: decide nothing on it. */
  stale(resource: ResourceOf<K>, fleet: FleetOf[K]): boolean;
  /** The fleet changed after the last sync (through gRPC or the CLI). */
  movedOn(resource: ResourceOf<K>, fleet: FleetOf[K]): boolean;
  /** The spec does not show what the fleet has (compared as the fleet records it). */
  differs(spec: SpecOf[K], fleet: FleetOf[K]): boolean;
  /** Commands that bring the fleet to the spec (none when it already matches), or why it cannot be. */
  applySteps(ctx: ApplyContext<K>): readonly Step[] | Refusal;
  /** Commands that clean the fleet up before the object goes (idempotent: sent again after a restart). */
  cleanupSteps(name: string, uid: string, fleet: FleetOf[K] | undefined): readonly Step[];
  /** The fleet is clean: the finalizer may go. `fleet` is a fresh read (undefined = not found). */
  cleanedUp(fleet: FleetOf[K] | undefined): boolean;
  /** The fleet dropped the resource for good while the object stays (e.g. an application deleted with the CLI). */
  readonly vanishes: boolean;
}

export const isRefusal = (value: readonly Step[] | Refusal): value is Refusal => !Array.isArray(value);

export type AnyKindRules = { [K in SyncKind]: KindRules<K> }[SyncKind];
