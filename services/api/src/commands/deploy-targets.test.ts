import { deviceDecider, RevisionNotFound, type Application, type Device, type DeviceCommand } from '@wasmbed/domain';
import { ResourceNotFound } from '../errors';
import type { DeviceDoc } from '../projections/documents';
import { history, META } from '../test-support/domain';
import { planDeployment, resolveTargets } from './deploy-targets';

const caps = (hostFunctions: string[]) => ({ firmware: 'fw 1', board: 'b', arch: 'a', ramBytes: 1, maxModuleBytes: 1, maxInstances: 1, hostFunctions });

/** A device built by the domain: registered, and enrolled through a gateway when it has capabilities. */
function device(name: string, labels: Record<string, string>, hostFunctions?: string[]): DeviceDoc {
  const key = name.padEnd(64, '0').replace(/[^0-9a-f]/g, '0');
  const commands: DeviceCommand[] = [
    { type: 'RegisterDevice', data: { deviceId: name, publicKey: key, board: 'b', architecture: 'a', labels }, metadata: META },
  ];
  if (hostFunctions) {
    commands.push({
      type: 'RequestEnrollment',
      data: { deviceId: name, publicKey: key, gatewayId: 'gw', pairingModeActive: false, autoApprove: false, capabilities: caps(hostFunctions) },
      metadata: META,
    });
  }
  return { device: history(deviceDecider, commands).state as Device, preferredGateway: null, gateway: null, version: 1 };
}

const fleet = [
  device('d3', { env: 'prod' }, ['gpio', 'log']),
  device('d1', { env: 'prod' }, ['log']),
  device('d2', { env: 'lab' }, ['gpio', 'log']),
  device('d4', { env: 'prod' }),
];

describe('resolveTargets', () => {
  it('returns named devices sorted, and names every unknown one', () => {
    expect(resolveTargets({ deviceNames: ['d4', 'd1'] }, [], fleet)).toEqual(['d1', 'd4']);
    expect(() => resolveTargets({ deviceNames: ['d1', 'x2', 'x1'] }, [], fleet)).toThrow(new ResourceNotFound('device', ['x1', 'x2']));
  });

  it('selects enrolled devices matching the selector', () => {
    // d4 is only pre-registered: it has never connected, so it cannot run anything yet.
    expect(resolveTargets({ selector: { env: 'prod' } }, [], fleet)).toEqual(['d1', 'd3']);
    expect(resolveTargets({ allDevices: true }, [], fleet)).toEqual(['d1', 'd2', 'd3']);
  });

  it('keeps only devices exporting every required host function', () => {
    expect(resolveTargets({ allDevices: true }, ['gpio'], fleet)).toEqual(['d2', 'd3']);
    expect(resolveTargets({ selector: { env: 'prod' } }, ['gpio', 'log'], fleet)).toEqual(['d3']);
  });
});

describe('planDeployment', () => {
  const app = {
    applicationId: 'app',
    revisions: [1, 2].map((revision) => ({
      revision,
      spec: { targets: revision === 1 ? { deviceNames: ['d1'] } : { allDevices: true }, requiredHostFunctions: [] },
    })),
  } as unknown as Application;

  it('deploys the latest revision when asked for 0', () => {
    expect(planDeployment(app, 0, fleet)).toEqual({ revision: 2, targets: ['d1', 'd2', 'd3'] });
    expect(planDeployment(app, 1, fleet)).toEqual({ revision: 1, targets: ['d1'] });
  });

  it('refuses a revision that does not exist', () => {
    expect(() => planDeployment(app, 3, fleet)).toThrow(RevisionNotFound);
  });
});
