import { ApplicationPhase, DevicePhase, GatewayPhase } from '@wasmbed/proto';
import { plan, type PlanInput } from './planner';
import { ANNOTATIONS, FINALIZER, type SyncKind } from './resources';
import { applicationRules } from './rules/application-rules';
import { deviceRules } from './rules/device-rules';
import { gatewayRules } from './rules/gateway-rules';
import type { KindRules } from './rules/kind-rules';
import {
  appSpec,
  deviceSpec,
  fleetApp,
  fleetDevice,
  fleetGateway,
  fleetRevision,
  gatewaySpec,
  KEY_B64,
  meta,
  MODULE,
  MODULE_SHA,
  OTHER_KEY_B64,
  resource,
} from './test-support/fixtures';

const input = <K extends SyncKind>(over: Partial<PlanInput<K>> & Pick<PlanInput<K>, 'resource' | 'fleet'>): PlanInput<K> => ({
  name: over.resource?.metadata.name ?? 'x',
  namespace: 'wasmbed',
  recentlyCleanedUp: false,
  deviceExists: (name) => name.startsWith('dev-'),
  ...over,
});
const planFor = <K extends SyncKind>(rules: KindRules<K>, over: Partial<PlanInput<K>> & Pick<PlanInput<K>, 'resource' | 'fleet'>) => plan(rules, input(over));
const commandsOf = (p: ReturnType<typeof plan>) => (p.action === 'apply' || p.action === 'cleanup' ? p.steps.map((s) => s.command.type) : []);

describe('plan, common rules', () => {
  it('adds the finalizer before anything reaches the fleet', () => {
    const dev = resource('Device', deviceSpec(), meta('dev-a', { finalizers: [] }));
    expect(planFor(deviceRules, { resource: dev, fleet: undefined })).toEqual({ action: 'addFinalizer' });
  });

  it('mirrors a fleet resource Kubernetes lacks as an object with the finalizer, synced at generation 1', () => {
    const p = planFor(deviceRules, { name: 'dev-p', resource: undefined, fleet: fleetDevice('dev-p', { labels: { b: '2', a: '1' }, preferredGateway: 'gw-1', version: 9 }) });
    expect(p).toEqual({
      action: 'create',
      object: {
        apiVersion: 'wasmbed.github.io/v1',
        kind: 'Device',
        metadata: {
          name: 'dev-p',
          namespace: 'wasmbed',
          finalizers: [FINALIZER],
          annotations: { [ANNOTATIONS.syncedGeneration]: '1', [ANNOTATIONS.origin]: 'fleet', [ANNOTATIONS.fleetVersion]: '9' },
        },
        spec: { publicKey: KEY_B64, board: 'nrf52840dk', architecture: 'thumbv7em', labels: { a: '1', b: '2' }, preferredGateway: 'gw-1' },
      },
    });
  });

  it('does not mirror a name it has just cleaned up, nor a revoked device', () => {
    expect(planFor(deviceRules, { name: 'dev-p', resource: undefined, fleet: fleetDevice('dev-p'), recentlyCleanedUp: true })).toEqual({ action: 'none' });
    expect(planFor(deviceRules, { name: 'dev-p', resource: undefined, fleet: fleetDevice('dev-p', { phase: DevicePhase.DEVICE_PHASE_REVOKED }) })).toEqual({ action: 'none' });
  });

  it('on deletion cleans up while the finalizer is there, and leaves foreign deletions alone', () => {
    const deleting = resource('Device', deviceSpec(), meta('dev-a', { deletionTimestamp: '2024-05-01T00:00:00Z', synced: 1 }));
    const p = planFor(deviceRules, { resource: deleting, fleet: fleetDevice('dev-a') });
    expect(p.action).toBe('cleanup');
    expect(p.action === 'cleanup' && p.steps).toEqual([
      { commandId: 'k8s/Device/uid-dev-a/delete/revoke', expectedVersion: 0, command: { type: 'RevokeDevice', request: { name: 'dev-a', reason: 'Device object deleted in Kubernetes' } } },
    ]);
    const notOurs = resource('Device', deviceSpec(), meta('dev-a', { deletionTimestamp: '2024-05-01T00:00:00Z', finalizers: ['someone.else/hold'] }));
    expect(planFor(deviceRules, { resource: notOurs, fleet: fleetDevice('dev-a') })).toEqual({ action: 'none' });
  });

  it('records an unsynced generation that the fleet already matches, with the fleet marker', () => {
    const dev = resource('Device', deviceSpec(), meta('dev-a', { generation: 3 }));
    expect(planFor(deviceRules, { resource: dev, fleet: fleetDevice('dev-a', { version: 17 }) })).toEqual({
      action: 'record',
      generation: 3,
      annotations: { [ANNOTATIONS.syncedGeneration]: '3', [ANNOTATIONS.fleetVersion]: '17' },
    });
  });

  it('plans the same command ids for the same generation, and new ones for the next', () => {
    const gen = (generation: number) => planFor(deviceRules, { resource: resource('Device', deviceSpec({ labels: { env: 'prod' } }), meta('dev-a', { generation, synced: 1 })), fleet: fleetDevice('dev-a') });
    const ids = (p: ReturnType<typeof gen>) => (p.action === 'apply' ? p.steps.map((s) => s.commandId) : []);
    expect(ids(gen(2))).toEqual(['k8s/Device/uid-dev-a/g2/labels']);
    expect(ids(gen(2))).toEqual(ids(gen(2)));
    expect(ids(gen(3))).toEqual(['k8s/Device/uid-dev-a/g3/labels']);
  });
});

describe('plan, who wins', () => {
  const syncedAt = (generation: number, fleetVersion: number, labels = { env: 'lab' }) =>
    resource('Device', deviceSpec({ labels }), meta('dev-a', { generation, synced: generation, annotations: { [ANNOTATIONS.fleetVersion]: String(fleetVersion) } }));

  it('Kubernetes wins when its generation is not synced, even if the fleet changed too', () => {
    const dev = resource('Device', deviceSpec({ labels: { env: 'prod' } }), meta('dev-a', { generation: 4, synced: 3, annotations: { [ANNOTATIONS.fleetVersion]: '5' } }));
    const p = planFor(deviceRules, { resource: dev, fleet: fleetDevice('dev-a', { labels: { env: 'cli' }, version: 8 }) });
    expect(p).toEqual({
      action: 'apply',
      generation: 4,
      steps: [{ commandId: 'k8s/Device/uid-dev-a/g4/labels', expectedVersion: 8, command: { type: 'UpdateDeviceLabels', request: { name: 'dev-a', labels: { env: 'prod' } } } }],
    });
  });

  it('the fleet wins once the generation is synced: a label change made with the CLI goes into the spec', () => {
    const p = planFor(deviceRules, { resource: syncedAt(2, 5), fleet: fleetDevice('dev-a', { labels: { env: 'cli', site: 'b' }, version: 6 }) });
    expect(p).toEqual({
      action: 'adopt',
      spec: deviceSpec({ labels: { env: 'cli', site: 'b' } }),
      annotations: { [ANNOTATIONS.syncedGeneration]: '3', [ANNOTATIONS.fleetVersion]: '6' },
    });
  });

  it('ignores a read model older than the last sync (it would undo the sync)', () => {
    expect(planFor(deviceRules, { resource: syncedAt(2, 7, { env: 'prod' }), fleet: fleetDevice('dev-a', { labels: { env: 'lab' }, version: 6 }) })).toEqual({ action: 'none' });
  });

  it('adopts nothing when the fleet moved on without a spec change (a device connecting)', () => {
    expect(planFor(deviceRules, { resource: syncedAt(2, 5), fleet: fleetDevice('dev-a', { phase: DevicePhase.DEVICE_PHASE_CONNECTED, version: 9 }) })).toEqual({ action: 'none' });
  });

  it('takes the current fleet state as the baseline when the marker is missing', () => {
    const dev = resource('Device', deviceSpec(), meta('dev-a', { synced: 1 }));
    expect(planFor(deviceRules, { resource: dev, fleet: fleetDevice('dev-a', { version: 9 }) })).toEqual({ action: 'record', generation: 1, annotations: { [ANNOTATIONS.fleetVersion]: '9' } });
  });
});

describe('plan, Device', () => {
  it('registers a device the fleet lacks', () => {
    const dev = resource('Device', deviceSpec({ preferredGateway: 'gw-1' }), meta('dev-a'));
    const p = planFor(deviceRules, { resource: dev, fleet: undefined });
    expect(p).toEqual({
      action: 'apply',
      generation: 1,
      steps: [
        {
          commandId: 'k8s/Device/uid-dev-a/g1/register',
          expectedVersion: 0,
          command: {
            type: 'RegisterDevice',
            request: { name: 'dev-a', publicKey: Buffer.from(KEY_B64, 'base64'), board: 'nrf52840dk', architecture: 'thumbv7em', labels: { env: 'lab' }, preferredGateway: 'gw-1' },
          },
        },
      ],
    });
  });

  it('chains labels and gateway assignment on one expected version', () => {
    const dev = resource('Device', deviceSpec({ labels: {}, preferredGateway: 'gw-2' }), meta('dev-a', { generation: 2, synced: 1 }));
    const p = planFor(deviceRules, { resource: dev, fleet: fleetDevice('dev-a', { version: 11 }) });
    expect(p.action === 'apply' && p.steps.map((s) => [s.command.type, s.expectedVersion])).toEqual([
      ['UpdateDeviceLabels', 11],
      ['AssignGateway', 'chain'],
    ]);
  });

  it('refuses a spec whose key, board or architecture differ from the registered device', () => {
    const dev = resource('Device', deviceSpec({ publicKey: OTHER_KEY_B64, board: 'esp32c3' }), meta('dev-a'));
    const p = planFor(deviceRules, { resource: dev, fleet: fleetDevice('dev-a') });
    expect(p).toEqual({ action: 'refuse', generation: 1, reason: 'SpecConflict', message: expect.stringMatching(/another publicKey, board \(fleet: nrf52840dk\)/) });
  });

  it('refuses to sync a revoked device, and does not treat an empty preferredGateway as a change', () => {
    const dev = resource('Device', deviceSpec(), meta('dev-a'));
    expect(planFor(deviceRules, { resource: dev, fleet: fleetDevice('dev-a', { phase: DevicePhase.DEVICE_PHASE_REVOKED, revocationReason: 'lost' }) })).toMatchObject({
      action: 'refuse',
      reason: 'DeviceRevoked',
      message: expect.stringContaining('(lost)'),
    });
    expect(planFor(deviceRules, { resource: dev, fleet: fleetDevice('dev-a', { preferredGateway: 'gw-9' }) }).action).toBe('record');
  });
});

describe('plan, Application', () => {
  const app = (over: Parameters<typeof meta>[1] = {}, spec = appSpec()) => resource('Application', spec, meta('blinky', over));

  it('creates and deploys an application the fleet lacks', () => {
    const p = planFor(applicationRules, { resource: app(), fleet: undefined });
    expect(p.action === 'apply' && p.steps.map((s) => [s.commandId, s.command.type, s.command.type === 'DeployApplication' ? s.command.request.revision : undefined])).toEqual([
      ['k8s/Application/uid-blinky/g1/create', 'CreateApplication', undefined],
      ['k8s/Application/uid-blinky/g1/deploy', 'DeployApplication', 'created'],
    ]);
    const create = p.action === 'apply' ? p.steps[0]!.command : undefined;
    expect(create?.type === 'CreateApplication' && create.request.spec.module).toEqual({ sha256: Buffer.from(MODULE_SHA, 'hex'), sizeBytes: MODULE.length, source: { $case: 'inlineContent', value: MODULE } });
  });

  it('records a spec equal to the deployed revision, whichever module form it uses', () => {
    const bySha = appSpec({ module: { sha256: MODULE_SHA, sizeBytes: MODULE.length } });
    const fleet = fleetApp('blinky', [fleetRevision(1, bySha)]);
    expect(planFor(applicationRules, { resource: app(), fleet })).toMatchObject({ action: 'record', annotations: { [ANNOTATIONS.fleetRevision]: '1' } });
  });

  it('creates a revision for a changed spec and deploys what it created', () => {
    const fleet = fleetApp('blinky', [fleetRevision(1, appSpec())]);
    const changed = appSpec({ config: { memoryLimit: 131_072 } });
    const p = planFor(applicationRules, { resource: app({ generation: 2, synced: 1 }, changed), fleet });
    expect(commandsOf(p)).toEqual(['UpdateApplication', 'DeployApplication']);
  });

  it('deploys an existing revision the spec equals (a rollback written in Kubernetes, or a deploy that failed before)', () => {
    const fleet = fleetApp('blinky', [fleetRevision(1, appSpec()), fleetRevision(2, appSpec({ entryPoint: 'main' }))]);
    const p = planFor(applicationRules, { resource: app({ generation: 3, synced: 2 }), fleet });
    expect(p.action === 'apply' && p.steps.map((s) => s.command)).toEqual([{ type: 'DeployApplication', request: { name: 'blinky', revision: 1 } }]);
  });

  it('adopts a revision created with the CLI, keeping an inline module that is the same', () => {
    const cli = appSpec({ module: { sha256: MODULE_SHA, sizeBytes: MODULE.length }, requiredHostFunctions: ['wasmbed.log'] });
    const fleet = fleetApp('blinky', [fleetRevision(1, appSpec()), fleetRevision(2, cli)], { deployedRevision: 1 });
    const p = planFor(applicationRules, { resource: app({ generation: 1, synced: 1, annotations: { [ANNOTATIONS.fleetRevision]: '1' } }), fleet });
    expect(p).toMatchObject({ action: 'adopt', annotations: { [ANNOTATIONS.syncedGeneration]: '2', [ANNOTATIONS.fleetRevision]: '2' } });
    expect(p.action === 'adopt' && p.spec).toMatchObject({ module: { inlineBase64: MODULE.toString('base64') }, requiredHostFunctions: ['wasmbed.log'] });
  });

  it('does not adopt on rollout progress (the revision number did not move)', () => {
    const fleet = fleetApp('blinky', [fleetRevision(1, appSpec()), fleetRevision(2, appSpec({ entryPoint: 'main' }))], { deployedRevision: 1, version: 99 });
    // The object deploys revision 1 on purpose (synced at revision 2, the latest then).
    expect(planFor(applicationRules, { resource: app({ generation: 3, synced: 3, annotations: { [ANNOTATIONS.fleetRevision]: '2' } }), fleet })).toEqual({ action: 'none' });
  });

  it('deletes the object when the fleet deleted the application, and refuses a name being deleted', () => {
    expect(planFor(applicationRules, { resource: app({ synced: 1, annotations: { [ANNOTATIONS.fleetRevision]: '1' } }), fleet: undefined })).toEqual({ action: 'deleteObject' });
    const deleting = fleetApp('blinky', [fleetRevision(1, appSpec())], { phase: ApplicationPhase.APPLICATION_PHASE_DELETING });
    expect(planFor(applicationRules, { resource: app(), fleet: deleting })).toMatchObject({ action: 'refuse', reason: 'ApplicationDeleting' });
    expect(planFor(applicationRules, { name: 'blinky', resource: undefined, fleet: deleting })).toEqual({ action: 'none' });
  });

  it('refuses target devices the fleet lacks before sending anything', () => {
    const p = planFor(applicationRules, { resource: app({}, appSpec({ targetDevices: { deviceNames: ['dev-a', 'ghost-2', 'ghost-1'] } })), fleet: undefined });
    expect(p).toEqual({ action: 'refuse', generation: 1, reason: 'DeviceNotFound', message: 'target devices not in the fleet: ghost-1, ghost-2 (register them first)' });
  });

  it('cleans up with DeleteApplication', () => {
    const p = planFor(applicationRules, { resource: app({ deletionTimestamp: '2024-05-01T00:00:00Z' }), fleet: fleetApp('blinky', [fleetRevision(1, appSpec())]) });
    expect(commandsOf(p)).toEqual(['DeleteApplication']);
    expect(applicationRules.cleanedUp(undefined)).toBe(true);
    expect(applicationRules.cleanedUp(fleetApp('blinky', []))).toBe(false);
  });
});

describe('plan, Gateway', () => {
  it('registers, then updates only the settings the spec names', () => {
    const gw = resource('Gateway', gatewaySpec({ config: { heartbeatInterval: 10 } }), meta('gw-1'));
    expect(commandsOf(planFor(gatewayRules, { resource: gw, fleet: undefined }))).toEqual(['RegisterGateway']);
    const p = planFor(gatewayRules, { resource: resource('Gateway', gatewaySpec({ capacity: 5 }), meta('gw-1', { generation: 2, synced: 1 })), fleet: fleetGateway('gw-1') });
    expect(p.action === 'apply' && p.steps[0]).toEqual({ commandId: 'k8s/Gateway/uid-gw-1/g2/config', expectedVersion: 12, command: { type: 'UpdateGatewayConfig', request: { name: 'gw-1', capacity: 5 } } });
  });

  it('registers a deregistered gateway again, and cleans up by draining and deregistering', () => {
    const gw = resource('Gateway', gatewaySpec(), meta('gw-1'));
    expect(commandsOf(planFor(gatewayRules, { resource: gw, fleet: fleetGateway('gw-1', { phase: GatewayPhase.GATEWAY_PHASE_DEREGISTERED }) }))).toEqual(['RegisterGateway']);
    const deleting = resource('Gateway', gatewaySpec(), meta('gw-1', { deletionTimestamp: '2024-05-01T00:00:00Z' }));
    expect(commandsOf(planFor(gatewayRules, { resource: deleting, fleet: fleetGateway('gw-1') }))).toEqual(['DrainGateway', 'DeregisterGateway']);
  });

  it('adopts a gateway that re-registered itself with other settings, keeping the ports', () => {
    const gw = resource('Gateway', gatewaySpec({ ports: { tls: 4423 } }), meta('gw-1', { synced: 1, annotations: { [ANNOTATIONS.fleetVersion]: '12' } }));
    const p = planFor(gatewayRules, { resource: gw, fleet: fleetGateway('gw-1', { capacity: 50, version: 13 }) });
    expect(p.action === 'adopt' && p.spec).toEqual({ endpoint: 'gw-1.lab:4423', region: 'eu', capacity: 50, ports: { tls: 4423 }, config: { heartbeatInterval: 30, enrollmentTimeout: 60 } });
  });
});
