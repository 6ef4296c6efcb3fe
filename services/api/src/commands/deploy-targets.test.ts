import { deviceDecider, RevisionNotFound, type Application, type ApplicationSpec, type Device, type DeviceCommand } from '@wasmbed/domain';
import { DevicesCannotRun } from '../admission/errors';
import { revisionManifest } from '../admission/revision-manifest';
import { ResourceNotFound } from '../errors';
import type { DeviceDoc } from '../projections/documents';
import { history, META } from '../test-support/domain';
import { planDeployment, resolveTargets } from './deploy-targets';

interface Caps {
  hostFunctions: string[];
  maxModuleBytes?: number;
  ramBytes?: number;
}

/** A device built by the domain: registered, and enrolled through a gateway when it has capabilities. */
function device(name: string, labels: Record<string, string>, caps?: Caps): DeviceDoc {
  const key = name.padEnd(64, '0').replace(/[^0-9a-f]/g, '0');
  const commands: DeviceCommand[] = [
    { type: 'RegisterDevice', data: { deviceId: name, publicKey: key, board: 'b', architecture: 'a', labels }, metadata: META },
  ];
  if (caps) {
    const capabilities = { firmware: 'fw 1', board: 'b', arch: 'a', ramBytes: caps.ramBytes ?? 65_536, maxModuleBytes: caps.maxModuleBytes ?? 4096, maxInstances: 1, hostFunctions: caps.hostFunctions };
    commands.push({
      type: 'RequestEnrollment',
      data: { deviceId: name, publicKey: key, gatewayId: 'gw', pairingModeActive: false, autoApprove: false, capabilities },
      metadata: META,
    });
  }
  return { device: history(deviceDecider, commands).state as Device, preferredGateway: null, gateway: null, version: 1 };
}

const fleet = [
  device('d3', { env: 'prod' }, { hostFunctions: ['gpio', 'log'] }),
  device('d1', { env: 'prod' }, { hostFunctions: ['log'] }),
  device('d2', { env: 'lab' }, { hostFunctions: ['gpio', 'log'] }),
  // Pre-registered only: never connected, so nothing is known about what it can run.
  device('d4', { env: 'prod' }),
  device('d5', { env: 'lab' }, { hostFunctions: ['gpio', 'log'], maxModuleBytes: 512, ramBytes: 1024 }),
];

function spec(requiredHostFunctions: string[], targets: ApplicationSpec['targets'] = { allDevices: true }): ApplicationSpec {
  return {
    module: { sha256: 'ab'.repeat(32), sizeBytes: 1000, uri: null },
    manifestSignature: 'cd'.repeat(64),
    publisherKey: 'ef'.repeat(32),
    entryPoint: '_start',
    requiredHostFunctions,
    config: { memoryLimitBytes: 2048, cpuTimeLimitMs: 0, env: {}, args: [], autoRestart: false, maxRestarts: 0 },
    targets,
    strategy: { canary: 0, batchSize: { percent: 100 }, healthGateSeconds: 0, failureThreshold: 0 },
  };
}

const resolve = (s: ApplicationSpec) => resolveTargets('revision 1 of application app', s.targets, revisionManifest('app', 1, s), fleet);

describe('resolveTargets', () => {
  it('returns named devices sorted, and names every unknown one', () => {
    expect(resolve(spec(['log'], { deviceNames: ['d4', 'd1'] }))).toEqual({ targets: ['d1', 'd4'], excluded: [] });
    expect(() => resolve(spec([], { deviceNames: ['d1', 'x2', 'x1'] }))).toThrow(new ResourceNotFound('device', ['x1', 'x2']));
  });

  it('refuses named devices that cannot run the revision, listing each one and why', () => {
    let caught: unknown;
    try {
      resolve(spec(['gpio', 'log'], { deviceNames: ['d1', 'd3', 'd4', 'd5'] }));
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(DevicesCannotRun);
    expect((caught as DevicesCannotRun).devices).toEqual([
      { device: 'd1', reasons: ['runtime lacks host function gpio'] },
      {
        device: 'd5',
        reasons: ["module of 1000 bytes exceeds the runtime's 512", "memory limit of 2048 bytes exceeds the device's 1024 bytes of RAM"],
      },
    ]);
    expect((caught as Error).message).toMatch(/^revision 1 of application app cannot run on 2 devices d1 \(runtime lacks host function gpio\), d5 \(module of 1000/);
  });

  it('selects enrolled devices matching the selector, leaving out (with reasons) those that cannot run it', () => {
    // d4 is only pre-registered: it has never connected, so it cannot run anything yet.
    expect(resolve(spec(['log'], { selector: { env: 'prod' } }))).toEqual({ targets: ['d1', 'd3'], excluded: [] });
    expect(resolve(spec(['gpio']))).toEqual({
      targets: ['d2', 'd3'],
      excluded: [
        { device: 'd1', reasons: ['runtime lacks host function gpio'] },
        { device: 'd5', reasons: ["module of 1000 bytes exceeds the runtime's 512", "memory limit of 2048 bytes exceeds the device's 1024 bytes of RAM"] },
      ],
    });
  });
});

describe('planDeployment', () => {
  const app = {
    applicationId: 'app',
    revisions: [1, 2].map((revision) => ({ revision, spec: spec(['log'], revision === 1 ? { deviceNames: ['d1'] } : { allDevices: true }) })),
  } as unknown as Application;

  it('deploys the latest revision when asked for 0', () => {
    expect(planDeployment(app, 0, fleet)).toMatchObject({ revision: 2, targets: ['d1', 'd2', 'd3'], excluded: [{ device: 'd5' }] });
    expect(planDeployment(app, 1, fleet)).toEqual({ revision: 1, targets: ['d1'], excluded: [] });
  });

  it('refuses a revision that does not exist', () => {
    expect(() => planDeployment(app, 3, fleet)).toThrow(RevisionNotFound);
  });
});
