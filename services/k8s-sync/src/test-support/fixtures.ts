import { createHash } from 'node:crypto';
import { Application, ApplicationPhase, Device, DevicePhase, Gateway, GatewayPhase, type ApplicationRevision } from '@wasmbed/proto';
import { toRequestSpec } from '../specs/application-spec';
import { ANNOTATIONS, API_VERSION, FINALIZER, type ApplicationSpec, type DeviceSpec, type GatewaySpec, type ObjectMeta, type ResourceOf, type SyncKind } from '../resources';

/** Objects and read models for the pure tests: what the apiserver and the api would hand over. */

export const KEY_B64 = Buffer.alloc(32, 7).toString('base64');
export const OTHER_KEY_B64 = Buffer.alloc(32, 9).toString('base64');
export const SIG_B64 = Buffer.alloc(64, 3).toString('base64');
export const MODULE = Buffer.from('\0asm\x01\0\0\0');
export const MODULE_SHA = createHash('sha256').update(MODULE).digest('hex');

export function meta(name: string, overrides: Partial<ObjectMeta> & { synced?: number; annotations?: Record<string, string> } = {}): ObjectMeta {
  const { synced, annotations, ...rest } = overrides;
  return {
    name,
    namespace: 'wasmbed',
    uid: `uid-${name}`,
    generation: 1,
    resourceVersion: '100',
    finalizers: [FINALIZER],
    annotations: { ...(synced === undefined ? {} : { [ANNOTATIONS.syncedGeneration]: String(synced) }), ...annotations },
    ...rest,
  };
}

export function resource<K extends SyncKind>(kind: K, spec: ResourceOf<K>['spec'], metadata: ObjectMeta): ResourceOf<K> {
  return { apiVersion: API_VERSION, kind, metadata, spec } as ResourceOf<K>;
}

export const deviceSpec = (overrides: Partial<DeviceSpec> = {}): DeviceSpec => ({ publicKey: KEY_B64, board: 'nrf52840dk', architecture: 'thumbv7em', labels: { env: 'lab' }, ...overrides });

export function fleetDevice(name: string, overrides: Partial<Device> = {}): Device {
  return Device.fromPartial({
    name,
    phase: DevicePhase.DEVICE_PHASE_PENDING,
    publicKey: Buffer.from(KEY_B64, 'base64'),
    board: 'nrf52840dk',
    architecture: 'thumbv7em',
    labels: { env: 'lab' },
    version: 5,
    ...overrides,
  });
}

export const appSpec = (overrides: Partial<ApplicationSpec> = {}): ApplicationSpec => ({
  module: { inlineBase64: MODULE.toString('base64') },
  signature: SIG_B64,
  publisherKey: KEY_B64,
  entryPoint: 'run',
  config: { memoryLimit: 65_536 },
  targetDevices: { deviceNames: ['dev-b', 'dev-a'] },
  ...overrides,
});

/** A revision as the api's read model shows it: no module bytes. */
export function fleetRevision(revision: number, spec: ApplicationSpec, extra: Partial<ApplicationRevision> = {}): ApplicationRevision {
  const request = toRequestSpec(spec);
  return { revision, spec: { ...request, module: { ...request.module!, source: undefined } }, createdAt: new Date(0), rollout: undefined, ...extra };
}

export function fleetApp(name: string, revisions: ApplicationRevision[], overrides: Partial<Application> = {}): Application {
  return Application.fromPartial({
    name,
    phase: ApplicationPhase.APPLICATION_PHASE_RUNNING,
    latestRevision: revisions.length,
    deployedRevision: revisions.length,
    revisions,
    version: 40,
    ...overrides,
  });
}

export const gatewaySpec = (overrides: Partial<GatewaySpec> = {}): GatewaySpec => ({ endpoint: 'gw-1.lab:4423', region: 'eu', capacity: 100, ...overrides });

export function fleetGateway(name: string, overrides: Partial<Gateway> = {}): Gateway {
  return Gateway.fromPartial({
    name,
    phase: GatewayPhase.GATEWAY_PHASE_ONLINE,
    endpoint: 'gw-1.lab:4423',
    region: 'eu',
    capacity: 100,
    heartbeatIntervalSeconds: 30,
    enrollmentTimeoutSeconds: 60,
    version: 12,
    ...overrides,
  });
}
