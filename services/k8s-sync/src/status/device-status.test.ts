import { Device, DeviceDeploymentPhase, DevicePhase } from '@wasmbed/proto';
import { projectDeviceStatus } from './device-status';

const T0 = new Date('2024-05-01T12:00:00.250Z');

const connected = (overrides: Partial<Device> = {}): Device =>
  Device.fromPartial({
    name: 'dev-1',
    phase: DevicePhase.DEVICE_PHASE_CONNECTED,
    gateway: 'gw-a',
    sessionId: 's-42',
    capabilities: { firmware: 'wasmbed-fw 0.3.1', board: 'nrf', architecture: 'thumbv7em', ramBytes: 1, maxModuleBytes: 1, maxInstances: 1, hostFunctions: [] },
    registeredAt: new Date('2024-04-01T00:00:00Z'),
    enrolledAt: new Date('2024-04-02T00:00:00Z'),
    lastSeenAt: T0,
    ...overrides,
  });

const app = (application: string, phase: DeviceDeploymentPhase, message = '') => ({ application, revision: 2, phase, message, updatedAt: T0 });

describe('projectDeviceStatus', () => {
  it('shows a connected device with its session, times and applications, failed ones first', () => {
    const device = connected({
      applications: [
        app('alpha', DeviceDeploymentPhase.DEVICE_DEPLOYMENT_PHASE_RUNNING),
        app('zeta', DeviceDeploymentPhase.DEVICE_DEPLOYMENT_PHASE_FAILED, 'trap: unreachable'),
        app('beta', DeviceDeploymentPhase.DEVICE_DEPLOYMENT_PHASE_RUNNING, 'ignored while running'),
      ],
    });
    const status = projectDeviceStatus(device, { observedGeneration: 3, moduleSha256Of: (a, r) => (a === 'alpha' && r === 2 ? 'ab'.repeat(32) : undefined) });
    expect(status).toEqual({
      phase: 'Connected',
      observedGeneration: 3,
      gateway: 'gw-a',
      sessionId: 's-42',
      lastSeen: '2024-05-01T12:00:00Z',
      enrolledAt: '2024-04-02T00:00:00Z',
      firmware: 'wasmbed-fw 0.3.1',
      applications: [
        { name: 'zeta', revision: 2, phase: 'Failed', message: 'trap: unreachable' },
        { name: 'alpha', revision: 2, phase: 'Running', moduleSha256: 'ab'.repeat(32) },
        { name: 'beta', revision: 2, phase: 'Running' },
      ],
      applicationsTotal: 3,
      conditions: [
        {
          type: 'Ready',
          status: 'False',
          reason: 'ApplicationFailed',
          message: '1 of 3 applications failed: zeta r2 (trap: unreachable)',
          lastTransitionTime: '2024-05-01T12:00:00Z',
          observedGeneration: 3,
        },
        { type: 'Connected', status: 'True', reason: 'SessionOpen', message: 'session s-42 on gateway gw-a', lastTransitionTime: '2024-05-01T12:00:00Z', observedGeneration: 3 },
      ],
    });
  });

  it('is Ready when connected with every application settled, not while one deploys', () => {
    const ready = projectDeviceStatus(connected({ applications: [app('a', DeviceDeploymentPhase.DEVICE_DEPLOYMENT_PHASE_RUNNING)] }));
    expect(ready.conditions[0]).toMatchObject({ type: 'Ready', status: 'True', reason: 'Ready' });
    const deploying = projectDeviceStatus(connected({ applications: [app('a', DeviceDeploymentPhase.DEVICE_DEPLOYMENT_PHASE_DEPLOYING)] }));
    expect(deploying.conditions[0]).toMatchObject({ type: 'Ready', status: 'False', reason: 'ApplicationsDeploying' });
  });

  it('leaves out the session of a disconnected device and says why it is not ready', () => {
    const status = projectDeviceStatus(connected({ phase: DevicePhase.DEVICE_PHASE_DISCONNECTED, sessionId: '' }));
    expect(status).not.toHaveProperty('sessionId');
    expect(status.phase).toBe('Disconnected');
    expect(status.conditions.map((c) => [c.type, c.status, c.reason])).toEqual([
      ['Ready', 'False', 'NotConnected'],
      ['Connected', 'False', 'Disconnected'],
    ]);
  });

  it('reports an unreachable device as Connected=Unknown and a revoked one with its reason', () => {
    expect(projectDeviceStatus(connected({ phase: DevicePhase.DEVICE_PHASE_UNREACHABLE })).conditions[1]).toMatchObject({ status: 'Unknown', reason: 'HeartbeatsMissing' });
    const revoked = projectDeviceStatus(connected({ phase: DevicePhase.DEVICE_PHASE_REVOKED, sessionId: '', revocationReason: 'stolen' }));
    expect(revoked.revocationReason).toBe('stolen');
    expect(revoked.conditions.map((c) => [c.status, c.reason, c.message])).toEqual([
      ['False', 'Revoked', 'stolen'],
      ['False', 'Revoked', 'stolen'],
    ]);
  });

  it('describes a pre-registered device that never connected', () => {
    const status = projectDeviceStatus(Device.fromPartial({ name: 'new', phase: DevicePhase.DEVICE_PHASE_PENDING, registeredAt: new Date('2024-01-01T00:00:00Z') }));
    expect(status).toEqual({
      phase: 'Pending',
      gateway: '',
      applications: [],
      applicationsTotal: 0,
      conditions: [
        { type: 'Ready', status: 'False', reason: 'NotConnected', message: 'device is Pending', lastTransitionTime: '2024-01-01T00:00:00Z' },
        { type: 'Connected', status: 'False', reason: 'NeverConnected', message: 'Pending, not connected yet', lastTransitionTime: '2024-01-01T00:00:00Z' },
      ],
    });
  });

  it('caps the application list and counts them all', () => {
    const many = Array.from({ length: 40 }, (_, i) => app(`app-${String(i).padStart(2, '0')}`, DeviceDeploymentPhase.DEVICE_DEPLOYMENT_PHASE_RUNNING));
    const status = projectDeviceStatus(connected({ applications: many }), { maxApplications: 5 });
    expect(status.applications.map((a) => a.name)).toEqual(['app-00', 'app-01', 'app-02', 'app-03', 'app-04']);
    expect(status.applicationsTotal).toBe(40);
    expect(projectDeviceStatus(connected({ applications: many })).applications).toHaveLength(16);
  });

  it('keeps the transition times of unchanged conditions across heartbeats, so only lastSeen moves', () => {
    const first = projectDeviceStatus(connected());
    const later = projectDeviceStatus(connected({ lastSeenAt: new Date('2024-05-01T12:05:00Z') }), { previousConditions: first.conditions });
    expect(later.conditions).toEqual(first.conditions);
    expect(later.lastSeen).toBe('2024-05-01T12:05:00Z');
    const dropped = projectDeviceStatus(connected({ phase: DevicePhase.DEVICE_PHASE_DISCONNECTED, lastSeenAt: new Date('2024-05-01T12:06:00Z') }), {
      previousConditions: later.conditions,
    });
    expect(dropped.conditions.map((c) => c.lastTransitionTime)).toEqual(['2024-05-01T12:06:00Z', '2024-05-01T12:06:00Z']);
  });
});
