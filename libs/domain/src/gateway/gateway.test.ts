import { applyEvents } from '../shared/decider';
import { InvalidCommand, InvalidTransition, UnexpectedEvent } from '../shared/errors';
import { DeciderSpecification } from '../testing/decider-specification';
import { ACTOR, T0, at } from '../test-support/fixtures';
import { CONFIG, HISTORIES, cmd, deregistered, draining, offline, online, pairingDisabled, pairingEnabled, register, registered } from '../test-support/gateway';
import { gatewayDecider } from './decider';
import { GatewayAlreadyExists, GatewayNotFound } from './errors';
import { evolveGateway } from './evolve';
import type { GatewayEvent } from './events';

const spec = DeciderSpecification.for(gatewayDecider);
const given = (status: keyof typeof HISTORIES) => spec.given(HISTORIES[status]);
const LIVE = ['Registered', 'Online', 'Offline', 'Draining'] as const;

describe('RegisterGateway', () => {
  it('registers a gateway with default heartbeat and enrollment timeout', () => {
    const state = spec.given([]).when(register()).then([registered()]);
    expect(state).toEqual({ status: 'Registered', gatewayId: 'gw1', config: CONFIG, draining: false, instanceId: null, pairingUntil: null, registeredAt: T0 });
  });

  it('keeps explicit settings', () => {
    spec
      .given([])
      .when(register({ endpoint: '[::1]:4423', heartbeatIntervalSeconds: 10, enrollmentTimeoutSeconds: 5 }))
      .then([{ type: 'GatewayRegistered', data: { gatewayId: 'gw1', config: { ...CONFIG, endpoint: '[::1]:4423', heartbeatIntervalSeconds: 10, enrollmentTimeoutSeconds: 5 }, registeredAt: T0, registeredBy: ACTOR } }]);
  });

  it('registers a deregistered gateway afresh', () => {
    const state = given('Deregistered').when(register({}, at(100))).then([registered(at(100))]);
    expect(state).toMatchObject({ status: 'Registered', instanceId: null, draining: false, registeredAt: at(100) });
  });

  it.each(LIVE)('refuses a gateway that is registered (%s)', (status) => {
    given(status).when(register()).thenThrows(GatewayAlreadyExists, `gateway 'gw1' already exists (${status})`);
  });

  it.each([
    ['data.endpoint', { endpoint: 'gw1.example.com' }],
    ['data.endpoint', { endpoint: 'gw1.example.com:0' }],
    ['data.endpoint', { endpoint: 'gw1.example.com:70000' }],
    ['data.endpoint', { endpoint: 'bad host:80' }],
    ['data.endpoint', { endpoint: 42 as unknown as string }],
    ['data.region', { region: 'EU' }],
    ['data.capacity', { capacity: 0 }],
    ['data.heartbeatIntervalSeconds', { heartbeatIntervalSeconds: 0 }],
    ['data.enrollmentTimeoutSeconds', { enrollmentTimeoutSeconds: 3601 }],
  ])('rejects an invalid %s', (field, data) => {
    expect(spec.given([]).when(register(data)).thenThrows(InvalidCommand).field).toBe(field);
  });

  it('accepts IPv4 endpoints', () => {
    spec.given([]).when(register({ endpoint: '10.42.0.12:8081' })).then([{ ...registered(), data: { ...registered().data, config: { ...CONFIG, endpoint: '10.42.0.12:8081' } } } as GatewayEvent]);
  });
});

describe('UpdateGatewayConfig', () => {
  const update = (changes: Record<string, unknown>) => cmd('UpdateGatewayConfig', { gatewayId: 'gw1', ...changes }, at(50));

  it.each(LIVE)('records only the settings that change (%s)', (status) => {
    const state = given(status)
      .when(update({ capacity: 200, region: CONFIG.region }))
      .then([{ type: 'GatewayConfigUpdated', data: { gatewayId: 'gw1', changes: { capacity: 200 }, updatedAt: at(50), updatedBy: ACTOR } }]);
    expect(state).toMatchObject({ config: { ...CONFIG, capacity: 200 } });
  });

  it('does nothing when nothing changes', () => {
    given('Online').when(update({ endpoint: CONFIG.endpoint })).thenNothingHappens();
  });

  it('needs at least one setting', () => {
    given('Online').when(update({})).thenThrows(InvalidCommand, 'invalid data: must set at least one of endpoint, region, capacity');
  });

  it('rejects an invalid setting', () => {
    expect(given('Online').when(update({ capacity: -5 })).thenThrows(InvalidCommand).field).toBe('data.capacity');
  });

  it('is an invalid transition once deregistered', () => {
    given('Deregistered').when(update({ capacity: 5 })).thenThrows(InvalidTransition, "cannot UpdateGatewayConfig: gateway 'gw1' is Deregistered");
  });
});

describe('ReportGatewayOnline and ReportGatewayOffline', () => {
  const reportOnline = (instanceId: string) => cmd('ReportGatewayOnline', { gatewayId: 'gw1', instanceId }, at(60));
  const reportOffline = (instanceId: string) => cmd('ReportGatewayOffline', { gatewayId: 'gw1', instanceId }, at(60));

  it.each(['Registered', 'Offline'] as const)('brings a gateway that is %s online', (status) => {
    const state = given(status).when(reportOnline('i2')).then([online('i2', at(60))]);
    expect(state).toMatchObject({ status: 'Online', instanceId: 'i2' });
  });

  it('records a restarted instance', () => {
    given('Online').when(reportOnline('i2')).then([online('i2', at(60))]);
  });

  it('keeps a draining gateway draining when its instance comes back', () => {
    const state = spec.given([...HISTORIES.Draining, offline('i1', at(4))]).when(reportOnline('i2')).then([online('i2', at(60))]);
    expect(state).toMatchObject({ status: 'Draining', instanceId: 'i2' });
  });

  it.each(['Online', 'Draining'] as const)('does nothing when the same instance reports again (%s)', (status) => {
    given(status).when(reportOnline('i1')).thenNothingHappens();
  });

  it('is an invalid transition once deregistered', () => {
    given('Deregistered').when(reportOnline('i1')).thenThrows(InvalidTransition, "cannot ReportGatewayOnline: gateway 'gw1' is Deregistered");
  });

  it.each(['Online', 'Draining'] as const)('takes the known instance offline (%s)', (status) => {
    const state = given(status).when(reportOffline('i1')).then([offline('i1', at(60))]);
    expect(state).toMatchObject({ status: 'Offline', instanceId: null });
  });

  it('ignores an offline report about another instance', () => {
    given('Online').when(reportOffline('i0')).thenNothingHappens();
  });

  it.each(['Registered', 'Offline', 'Deregistered'] as const)('does nothing when no instance is online (%s)', (status) => {
    given(status).when(reportOffline('i1')).thenNothingHappens();
  });

  it('rejects an invalid instance id', () => {
    expect(given('Online').when(reportOnline('i 1')).thenThrows(InvalidCommand).field).toBe('data.instanceId');
    expect(given('Online').when(reportOffline('')).thenThrows(InvalidCommand).field).toBe('data.instanceId');
  });
});

describe('DrainGateway and ResumeGateway', () => {
  const drain = (now = at(3)) => cmd('DrainGateway', { gatewayId: 'gw1' }, now);
  const resumeGateway = (now = at(70)) => cmd('ResumeGateway', { gatewayId: 'gw1' }, now);

  it('drains an online gateway', () => {
    const state = given('Online').when(drain()).then([draining()]);
    expect(state).toMatchObject({ status: 'Draining', draining: true });
  });

  it.each(['Registered', 'Offline'] as const)('marks a gateway that is %s to come back draining', (status) => {
    const state = given(status).when(drain()).then([draining()]);
    expect(state).toMatchObject({ status, draining: true });
  });

  it('closes an open pairing window', () => {
    const state = spec
      .given([...HISTORIES.Online, pairingEnabled(at(305))])
      .when(drain(at(10)))
      .then([draining(at(10)), { type: 'PairingModeDisabled', data: { gatewayId: 'gw1', disabledAt: at(10), disabledBy: ACTOR } }]);
    expect(state).toMatchObject({ pairingUntil: null });
  });

  it('does nothing when already draining', () => {
    given('Draining').when(drain()).thenNothingHappens();
  });

  it('resumes a draining gateway', () => {
    const state = given('Draining')
      .when(resumeGateway())
      .then([{ type: 'GatewayResumed', data: { gatewayId: 'gw1', resumedAt: at(70), resumedBy: ACTOR } }]);
    expect(state).toMatchObject({ status: 'Online', draining: false });
  });

  it('resumes a draining gateway that is offline, leaving it offline', () => {
    const state = spec.given([...HISTORIES.Draining, offline('i1', at(4))]).when(resumeGateway()).then([{ type: 'GatewayResumed', data: { gatewayId: 'gw1', resumedAt: at(70), resumedBy: ACTOR } }]);
    expect(state).toMatchObject({ status: 'Offline', draining: false });
  });

  it('does nothing when resuming a gateway that is not draining', () => {
    given('Online').when(resumeGateway()).thenNothingHappens();
  });

  it('is an invalid transition once deregistered', () => {
    given('Deregistered').when(drain()).thenThrows(InvalidTransition, "cannot DrainGateway: gateway 'gw1' is Deregistered");
    given('Deregistered').when(resumeGateway()).thenThrows(InvalidTransition, "cannot ResumeGateway: gateway 'gw1' is Deregistered");
  });
});

describe('DeregisterGateway', () => {
  const deregister = cmd('DeregisterGateway', { gatewayId: 'gw1' }, at(4));

  it.each(['Registered', 'Offline', 'Draining'] as const)('deregisters a gateway that is %s', (status) => {
    const state = given(status).when(deregister).then([deregistered()]);
    expect(state).toMatchObject({ status: 'Deregistered', instanceId: null, pairingUntil: null });
  });

  it('is an invalid transition while online and not draining', () => {
    given('Online').when(deregister).thenThrows(InvalidTransition, "cannot DeregisterGateway: gateway 'gw1' is Online");
  });

  it('does nothing once deregistered', () => {
    given('Deregistered').when(deregister).thenNothingHappens();
  });
});

describe('SetPairingMode', () => {
  const setPairing = (data: { enabled: boolean; durationSeconds?: number }, now = at(5)) => cmd('SetPairingMode', { gatewayId: 'gw1', ...data }, now);

  it('opens a five-minute window by default', () => {
    const state = given('Online').when(setPairing({ enabled: true })).then([pairingEnabled(at(305))]);
    expect(state).toMatchObject({ pairingUntil: at(305) });
  });

  it.each([
    [1, at(6)],
    [3600, at(3605)],
  ])('opens a window of %d seconds', (durationSeconds, until) => {
    given('Online').when(setPairing({ enabled: true, durationSeconds })).then([pairingEnabled(until)]);
  });

  it('restarts the window when enabled again', () => {
    spec.given([...HISTORIES.Online, pairingEnabled(at(305))]).when(setPairing({ enabled: true }, at(100))).then([pairingEnabled(at(400), at(100))]);
  });

  it('closes an open window', () => {
    const state = spec
      .given([...HISTORIES.Online, pairingEnabled(at(305))])
      .when(setPairing({ enabled: false }, at(100)))
      .then([{ type: 'PairingModeDisabled', data: { gatewayId: 'gw1', disabledAt: at(100), disabledBy: ACTOR } }]);
    expect(state).toMatchObject({ pairingUntil: null });
  });

  it('closes an expired window, so the log stops showing it', () => {
    const state = spec
      .given([...HISTORIES.Online, pairingEnabled(at(305))])
      .when(setPairing({ enabled: false }, at(305)))
      .then([pairingDisabled(at(305))]);
    expect(state).toMatchObject({ pairingUntil: null });
  });

  it('closes the window a draining gateway still records', () => {
    spec
      .given([...HISTORIES.Online, pairingEnabled(at(305)), draining(at(400))])
      .when(setPairing({ enabled: false }, at(401)))
      .then([pairingDisabled(at(401))]);
  });

  it('does nothing when no window is recorded', () => {
    given('Online').when(setPairing({ enabled: false })).thenNothingHappens();
    spec
      .given([...HISTORIES.Online, pairingEnabled(at(305)), pairingDisabled(at(10))])
      .when(setPairing({ enabled: false }, at(20)))
      .thenNothingHappens();
  });

  it.each([
    ['data.durationSeconds', { enabled: true, durationSeconds: 0 }],
    ['data.durationSeconds', { enabled: true, durationSeconds: 3601 }],
    ['data.durationSeconds', { enabled: false, durationSeconds: 60 }],
    ['data.enabled', { enabled: 'on' as unknown as boolean }],
  ])('rejects an invalid %s', (field, data) => {
    expect(given('Online').when(setPairing(data)).thenThrows(InvalidCommand).field).toBe(field);
  });

  it('is an invalid transition for a draining gateway', () => {
    given('Draining').when(setPairing({ enabled: true })).thenThrows(InvalidTransition, "cannot SetPairingMode: gateway 'gw1' is Draining");
  });

  it('is an invalid transition once deregistered', () => {
    given('Deregistered').when(setPairing({ enabled: true })).thenThrows(InvalidTransition, 'is Deregistered');
    given('Deregistered').when(setPairing({ enabled: false })).thenThrows(InvalidTransition, 'is Deregistered');
  });
});

describe('every gateway command', () => {
  it.each([
    cmd('UpdateGatewayConfig', { gatewayId: 'gw1', capacity: 1 }),
    cmd('ReportGatewayOnline', { gatewayId: 'gw1', instanceId: 'i1' }),
    cmd('ReportGatewayOffline', { gatewayId: 'gw1', instanceId: 'i1' }),
    cmd('DrainGateway', { gatewayId: 'gw1' }),
    cmd('ResumeGateway', { gatewayId: 'gw1' }),
    cmd('DeregisterGateway', { gatewayId: 'gw1' }),
    cmd('SetPairingMode', { gatewayId: 'gw1', enabled: true }),
  ].map((c) => [c.type, c] as const))('%s needs an existing gateway', (_type, command) => {
    spec.given([]).when(command).thenThrows(GatewayNotFound, "gateway 'gw1' not found");
  });

  it('refuses a command for another gateway than the loaded one', () => {
    expect(given('Online').when(cmd('DrainGateway', { gatewayId: 'gw2' })).thenThrows(InvalidCommand).field).toBe('data.gatewayId');
  });
});

describe('gateway evolve', () => {
  it('rebuilds the same state from stored (JSON) events', () => {
    const events = [...HISTORIES.Draining, pairingEnabled(at(305)), offline('i1', at(6)), online('i2', at(7))];
    const live = applyEvents(gatewayDecider, events);
    expect(applyEvents(gatewayDecider, JSON.parse(JSON.stringify(events)) as GatewayEvent[])).toEqual(live);
    expect(live).toEqual({ status: 'Draining', gatewayId: 'gw1', config: CONFIG, draining: true, instanceId: 'i2', pairingUntil: at(305), registeredAt: T0 });
  });

  it.each([
    ['an event on an empty stream', [], online()],
    ['GatewayRegistered twice', [registered()], registered()],
  ] as [string, GatewayEvent[], GatewayEvent][])('reports a corrupt stream: %s', (_name, before, event) => {
    expect(() => evolveGateway(applyEvents(gatewayDecider, before), event)).toThrow(UnexpectedEvent);
  });
});
