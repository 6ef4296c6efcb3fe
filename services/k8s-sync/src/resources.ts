import type { Condition } from './status';

/** The CRDs in infra/crds. */
export const GROUP = 'wasmbed.github.io';
export const VERSION = 'v1';
export const API_VERSION = `${GROUP}/${VERSION}`;

export type SyncKind = 'Device' | 'Application' | 'Gateway';
export const SYNC_KINDS: readonly SyncKind[] = ['Device', 'Application', 'Gateway'];
export const PLURALS: Readonly<Record<SyncKind, string>> = { Device: 'devices', Application: 'applications', Gateway: 'gateways' };

/** Keeps an object until the fleet is cleaned up (device revoked, application deleted, gateway deregistered). */
export const FINALIZER = 'wasmbed.github.io/cleanup';

/**
 * What the sync records on each object (annotations: metadata writes do not bump the generation).
 * - syncedGeneration: the generation whose spec the fleet was brought to (or adopted from the fleet).
 * - fleetVersion: Device/Gateway aggregate version right after that sync; a read model below it is stale,
 *   one above it with another spec means the fleet was changed outside Kubernetes.
 * - fleetRevision: latest Application revision right after that sync; a higher one was created outside.
 * - origin: "fleet" when the sync created the object for something the fleet already had.
 */
export const ANNOTATIONS = {
  syncedGeneration: 'wasmbed.github.io/synced-generation',
  fleetVersion: 'wasmbed.github.io/fleet-version',
  fleetRevision: 'wasmbed.github.io/fleet-revision',
  origin: 'wasmbed.github.io/origin',
} as const;

export interface ObjectMeta {
  readonly name: string;
  readonly namespace?: string;
  readonly uid?: string;
  readonly generation?: number;
  readonly resourceVersion?: string;
  readonly creationTimestamp?: string;
  readonly deletionTimestamp?: string;
  readonly finalizers?: readonly string[];
  readonly annotations?: Readonly<Record<string, string>>;
  readonly labels?: Readonly<Record<string, string>>;
}

export interface DeviceSpec {
  readonly publicKey: string;
  readonly board: string;
  readonly architecture: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly preferredGateway?: string;
}

export interface ModuleSpec {
  readonly sha256?: string;
  readonly sizeBytes?: number;
  readonly uri?: string;
  readonly inlineBase64?: string;
}

export interface ApplicationSpec {
  readonly module: ModuleSpec;
  readonly signature: string;
  readonly publisherKey: string;
  readonly entryPoint: string;
  readonly requiredHostFunctions?: readonly string[];
  readonly config: {
    readonly memoryLimit: number;
    readonly cpuTimeLimit?: number;
    readonly env?: Readonly<Record<string, string>>;
    readonly args?: readonly string[];
    readonly autoRestart?: boolean;
    readonly maxRestarts?: number;
  };
  readonly targetDevices: {
    readonly deviceNames?: readonly string[];
    readonly selector?: { readonly matchLabels: Readonly<Record<string, string>> };
    readonly allDevices?: boolean;
  };
  readonly strategy?: {
    readonly canary?: number;
    readonly batchCount?: number;
    readonly batchPercent?: number;
    readonly healthGateSeconds?: number;
    readonly failureThreshold?: number;
  };
}

export interface GatewaySpec {
  readonly endpoint: string;
  readonly region: string;
  readonly capacity: number;
  readonly ports?: { readonly tls?: number; readonly http?: number };
  readonly config?: { readonly heartbeatInterval?: number; readonly enrollmentTimeout?: number };
}

export interface SpecOf {
  Device: DeviceSpec;
  Application: ApplicationSpec;
  Gateway: GatewaySpec;
}

export interface CustomResource<S> {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: ObjectMeta;
  readonly spec: S;
  readonly status?: { readonly conditions?: readonly Condition[]; readonly [field: string]: unknown };
}

export type ResourceOf<K extends SyncKind> = CustomResource<SpecOf[K]>;
export type AnyResource = CustomResource<SpecOf[SyncKind]>;

/** A non-negative integer annotation, or undefined when absent or not a number. */
export function annotationNumber(meta: ObjectMeta, key: string): number | undefined {
  const text = meta.annotations?.[key];
  if (text === undefined || !/^\d{1,15}$/.test(text)) return undefined;
  return Number(text);
}

export const generationOf = (meta: ObjectMeta): number => meta.generation ?? 0;
