import { loadBrowserModule } from './test-support/browser-module';

const { createState, reduce } = loadBrowserModule<typeof import('../assets/state.js')>('state.js');
const selectors = loadBrowserModule<typeof import('../assets/selectors.js')>('selectors.js');

type State = ReturnType<typeof createState>;
type Device = import('../assets/state.js').Device;

const NOW = Date.parse('2025-03-01T12:00:00Z');
const sha = (firstByte: number) => Buffer.alloc(32, firstByte).toString('base64');

function stateWith(resources: { devices?: Device[]; gateways?: object[]; applications?: object[] }): State {
  const state = createState();
  for (const device of resources.devices ?? []) reduce(state, { type: 'change', event: 'device', data: { kind: 'CHANGE_KIND_ADDED', device } });
  for (const gateway of resources.gateways ?? []) reduce(state, { type: 'change', event: 'gateway', data: { kind: 'CHANGE_KIND_ADDED', gateway } });
  for (const application of resources.applications ?? []) reduce(state, { type: 'change', event: 'application', data: { kind: 'CHANGE_KIND_ADDED', application } });
  return state;
}

const hello = {
  name: 'hello',
  phase: 'APPLICATION_PHASE_DEPLOYING',
  latestRevision: 2,
  deployedRevision: 2,
  revisions: [
    { revision: 1, spec: { module: { sha256: sha(0xab) } }, rollout: { phase: 'ROLLOUT_PHASE_COMPLETED', waves: [{ index: 0, devices: ['d1'] }], counts: { running: 1 } } },
    {
      revision: 2,
      spec: { module: { sha256: sha(0x3f) } },
      rollout: {
        phase: 'ROLLOUT_PHASE_IN_PROGRESS',
        currentWave: 1,
        waves: [{ devices: ['d1'] }, { index: 1, devices: ['d2', 'd3'] }, { index: 2, devices: ['d4'] }],
        counts: { running: 1, deploying: 1, failed: 1, pending: 1 },
        failingDevices: [{ device: 'd3', reason: 'trap: unreachable', failedAt: '2025-03-01T11:59:00Z' }],
        startedAt: '2025-03-01T11:58:00Z',
      },
    },
    { revision: 3, spec: { module: { sha256: sha(0x01) } } },
  ],
};

describe('selectors (assets/selectors.js)', () => {
  it('summarises the fleet: devices and applications by phase in display order, approvals, sessions, pairing', () => {
    const state = stateWith({
      devices: [
        { name: 'a', phase: 'DEVICE_PHASE_REVOKED' },
        { name: 'b', phase: 'DEVICE_PHASE_CONNECTED' },
        { name: 'c', phase: 'DEVICE_PHASE_ENROLLING' },
        { name: 'd', phase: 'DEVICE_PHASE_CONNECTED' },
        { name: 'e' },
      ],
      gateways: [
        { name: 'gw-1', phase: 'GATEWAY_PHASE_ONLINE', connectedDevices: 2, pairing: { enabled: true, until: '2025-03-01T12:05:00Z' } },
        { name: 'gw-2', phase: 'GATEWAY_PHASE_OFFLINE', pairing: { enabled: true, until: '2025-03-01T11:59:00Z' } },
        { name: 'gw-3', phase: 'GATEWAY_PHASE_DEREGISTERED', pairing: {} },
      ],
      applications: [hello, { name: 'idle', phase: 'APPLICATION_PHASE_CREATING' }],
    });
    const s = selectors.fleetSummary(state, NOW);
    expect(s.devices).toEqual({
      total: 5,
      byPhase: [
        { phase: 'connected', count: 2 },
        { phase: 'enrolling', count: 1 },
        { phase: 'revoked', count: 1 },
        { phase: 'unspecified', count: 1 },
      ],
    });
    expect(s.awaitingApproval).toBe(1);
    expect(s.gateways.total).toBe(3);
    expect(s.gateways.sessions).toBe(2);
    expect(s.applications.byPhase).toEqual([
      { phase: 'deploying', count: 1 },
      { phase: 'creating', count: 1 },
    ]);
    // gw-2's window has passed (no event says so), gw-3 is deregistered.
    expect(s.pairing).toEqual({ gateways: 2, active: 1, closesAtMs: Date.parse('2025-03-01T12:05:00Z') });
  });

  it('evaluates pairing mode at the time given', () => {
    const gw = { name: 'g', pairing: { enabled: true, until: '2025-03-01T12:00:10Z' } };
    expect(selectors.pairingOf(gw, NOW)).toEqual({ active: true, untilMs: Date.parse('2025-03-01T12:00:10Z') });
    expect(selectors.pairingOf(gw, NOW + 10_000)).toEqual({ active: false, untilMs: undefined });
    expect(selectors.pairingOf({ name: 'g', pairing: { enabled: true } }, NOW)).toEqual({ active: true, untilMs: undefined });
    expect(selectors.pairingOf({ name: 'g' }, NOW).active).toBe(false);
  });

  it('lists the devices waiting for approval, by name', () => {
    const state = stateWith({ devices: [{ name: 'z', phase: 'DEVICE_PHASE_ENROLLING' }, { name: 'm', phase: 'DEVICE_PHASE_PENDING' }, { name: 'a', phase: 'DEVICE_PHASE_ENROLLING' }] });
    expect(selectors.awaitingApproval(state).map((d) => d.name)).toEqual(['a', 'z']);
  });

  it('shows what runs on a device with the short module hash of its revision', () => {
    const state = stateWith({ applications: [hello] });
    const device = { name: 'd1', applications: [{ application: 'hello', revision: 2, phase: 'DEVICE_DEPLOYMENT_PHASE_RUNNING' }, { application: 'gone', revision: 1 }] };
    expect(selectors.appsOnDevice(device, state.applications.items)).toEqual([
      { name: 'hello', revision: 2, phase: 'running', hash: '3f3f3f3f', message: '' },
      { name: 'gone', revision: 1, phase: 'unspecified', hash: '', message: '' },
    ]);
  });

  it('filters devices by every term across name, phase, board, gateway, labels and apps, and by phase', () => {
    const devices: Device[] = [
      { name: 'sensor-01', phase: 'DEVICE_PHASE_CONNECTED', board: 'nrf52840dk', gateway: 'gw-eu', labels: { env: 'prod' }, applications: [{ application: 'blinky' }] },
      { name: 'sensor-02', phase: 'DEVICE_PHASE_DISCONNECTED', board: 'esp32c3', labels: { env: 'lab' } },
      { name: 'relay-01', phase: 'DEVICE_PHASE_CONNECTED', board: 'esp32c3', gateway: 'gw-us' },
    ];
    const names = (query: string, phase?: string) => selectors.filterDevices(devices, query, phase).map((d) => d.name);
    expect(names('')).toEqual(['sensor-01', 'sensor-02', 'relay-01']);
    expect(names('SENSOR')).toEqual(['sensor-01', 'sensor-02']);
    expect(names('sensor esp32')).toEqual(['sensor-02']);
    expect(names('env=prod')).toEqual(['sensor-01']);
    expect(names('blinky')).toEqual(['sensor-01']);
    expect(names('gw-us')).toEqual(['relay-01']);
    expect(names('', 'connected')).toEqual(['sensor-01', 'relay-01']);
    expect(names('esp32', 'connected')).toEqual(['relay-01']);
    expect(names('nothing-like-this')).toEqual([]);
  });

  it('filters a thousand devices fast enough to run on every keystroke', () => {
    const devices: Device[] = Array.from({ length: 1000 }, (_, i) => ({ name: `dev-${i}`, phase: 'DEVICE_PHASE_CONNECTED', board: i % 2 ? 'esp32c3' : 'nrf', labels: { site: `s${i % 7}` } }));
    selectors.filterDevices(devices, 'warm');
    const started = performance.now();
    expect(selectors.filterDevices(devices, 'esp32 site=s3').length).toBe(72);
    expect(performance.now() - started).toBeLessThan(50);
  });

  it('draws each rollout, newest first: counts as shares, waves, failing devices, the deployed one', () => {
    const [current, previous, ...rest] = selectors.rolloutsOf(hello);
    expect(rest).toEqual([]);
    expect(current).toMatchObject({
      revision: 2,
      hash: '3f3f3f3f',
      phase: 'in_progress',
      total: 4,
      waves: 'wave 2 of 3',
      failing: [{ device: 'd3', reason: 'trap: unreachable', failedAt: '2025-03-01T11:59:00Z' }],
      deployed: true,
    });
    expect(current.segments).toEqual([
      { key: 'running', count: 1, percent: 25 },
      { key: 'deploying', count: 1, percent: 25 },
      { key: 'pending', count: 1, percent: 25 },
      { key: 'failed', count: 1, percent: 25 },
      { key: 'stopped', count: 0, percent: 0 },
    ]);
    expect(previous).toMatchObject({ revision: 1, phase: 'completed', total: 1, waves: '1 wave', deployed: false, failing: [] });
    expect(selectors.rolloutsOf({ name: 'new' })).toEqual([]);
  });
});
