import { LivenessStore } from '@wasmbed/device-bus';
import { generateEd25519KeyPair, issueDeviceCertificate } from '@wasmbed/pki';
import { keyDerivedDeviceId } from './enrollment';
import { deviceCommand, deviceEventTypes, deviceStatus, eventually, registerDevice } from './test-support/fleet';
import { ADMIN_TOKEN, startTestGateway, VIEWER_TOKEN, withGateway, type TestGateway } from './test-support/gateway-fixture';
import { closedWithin, newDeviceIdentity, TestDevice } from './test-support/test-device';

const { nats, gw: testGateway } = withGateway();
let gw: TestGateway;
beforeAll(() => {
  gw = testGateway();
});

describe('enrollment through the event log', () => {
  it('welcomes a pre-registered key on first connect and records the connection', async () => {
    const identity = await newDeviceIdentity('ignored-cn');
    await registerDevice(gw.store, 'sensor-1', identity.keys.publicKeyHex);
    const device = await TestDevice.connect(gw.gateway.tlsPort, identity);
    const welcome = await device.enroll();
    expect(welcome.body).toMatchObject({ deviceId: 'sensor-1', gatewayId: 'gateway-1', heartbeatIntervalMs: 30_000 });
    expect(welcome.correlationId).toBe(1);

    await eventually(async () => (await deviceStatus(gw.store, 'sensor-1')) === 'Connected', 20_000, 'device Connected');
    expect(await deviceEventTypes(gw.store, 'sensor-1')).toEqual(['DeviceRegistered', 'DeviceEnrolled', 'DeviceConnected']);
    const liveness = await LivenessStore.open(gw.nc);
    const record = await eventually(() => liveness.get('sensor-1'), 20_000, 'liveness record');
    expect(record).toMatchObject({ deviceId: 'sensor-1', gatewayId: 'gateway-1', heartbeatSeq: 0, apps: [] });

    const sessions = await gw.http('/admin/sessions', { token: VIEWER_TOKEN });
    expect(sessions.status).toBe(200);
    expect(sessions.body).toMatchObject({ sessions: [expect.objectContaining({ deviceId: 'sensor-1', phase: 'Established', publicKey: identity.keys.publicKeyHex })] });

    device.close();
    await device.closed;
    await eventually(async () => (await deviceStatus(gw.store, 'sensor-1')) === 'Disconnected', 20_000, 'device Disconnected');
    await eventually(async () => (await liveness.get('sensor-1')) === undefined, 20_000, 'liveness record removed');
  });

  it('records a reconnect as one commit: the new session and the capabilities that changed', async () => {
    const identity = await newDeviceIdentity('ignored-cn');
    await registerDevice(gw.store, 'upgraded', identity.keys.publicKeyHex);
    const stream = { aggregateType: 'device', aggregateId: 'upgraded' };
    const first = await TestDevice.connect(gw.gateway.tlsPort, identity);
    await first.enroll();
    await eventually(async () => (await deviceStatus(gw.store, 'upgraded')) === 'Connected', 20_000, 'device Connected');
    first.close();
    await first.closed;
    await eventually(async () => (await deviceStatus(gw.store, 'upgraded')) === 'Disconnected', 20_000, 'device Disconnected');

    const second = await TestDevice.connect(gw.gateway.tlsPort, identity);
    await second.enroll({ firmware: 'test-fw 2.0' });
    const { events } = await eventually(async () => {
      const read = await gw.store.readStream(stream);
      return read.events.at(-1)?.type === 'DeviceCapabilitiesReported' ? read : undefined;
    }, 20_000, 'capabilities recorded');
    const [connected, reported] = events.slice(-2);
    expect(connected).toMatchObject({ type: 'DeviceConnected', commitSize: 2, indexInCommit: 0 });
    expect(reported).toMatchObject({ type: 'DeviceCapabilitiesReported', position: connected.position, data: { capabilities: { firmware: 'test-fw 2.0' } } });
    second.close();
    await second.closed;
  });

  it('welcomes a device whose certificate the platform CA issued', async () => {
    const keys = generateEd25519KeyPair();
    const cert = await issueDeviceCertificate(gw.ca, { deviceId: 'ca-issued', publicKey: keys.publicKey, validityDays: 1 });
    await registerDevice(gw.store, 'ca-issued', keys.publicKeyHex);
    const device = await TestDevice.connect(gw.gateway.tlsPort, { keys, certPem: cert.certPem });
    expect((await device.enroll()).body.deviceId).toBe('ca-issued');
    device.close();
    await device.closed;
  });

  it('refuses an unknown key while pairing mode is off, and records nothing', async () => {
    const device = await TestDevice.connect(gw.gateway.tlsPort, await newDeviceIdentity('stranger'));
    device.hello();
    const rejected = await device.expect('Rejected');
    expect(rejected.body).toEqual({ code: 'pairing_disabled', reason: 'pairing mode is off' });
    expect(await closedWithin(device.socket, 10_000)).toBe(true);
    expect(await deviceEventTypes(gw.store, 'stranger')).toEqual([]);
  });

  it('opens pairing only for an operator token', async () => {
    expect((await gw.http('/admin/pairing', { method: 'POST', body: { enabled: true } })).status).toBe(401);
    expect((await gw.http('/admin/pairing', { method: 'POST', token: 'wrong', body: { enabled: true } })).status).toBe(401);
    expect((await gw.http('/admin/pairing', { method: 'POST', token: VIEWER_TOKEN, body: { enabled: true } })).status).toBe(403);
    const bad = await gw.http('/admin/pairing', { method: 'POST', token: ADMIN_TOKEN, body: { enabled: 'yes' } });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ error: { code: 'invalid_argument', message: expect.stringContaining('enabled') } });
  });

  it('enrolls an unknown key under its certificate name during pairing mode', async () => {
    const opened = await gw.http('/admin/pairing', { method: 'POST', token: ADMIN_TOKEN, body: { enabled: true, durationSeconds: 600 } });
    expect(opened.status).toBe(200);
    expect(opened.body).toMatchObject({ gatewayId: 'gateway-1', active: true, until: expect.any(String) });

    const device = await TestDevice.connect(gw.gateway.tlsPort, await newDeviceIdentity('fresh-sensor'));
    const welcome = await device.enroll();
    expect(welcome.body.deviceId).toBe('fresh-sensor');
    await eventually(async () => (await deviceStatus(gw.store, 'fresh-sensor')) === 'Connected', 20_000, 'device Connected');
    expect(await deviceEventTypes(gw.store, 'fresh-sensor')).toEqual(['DeviceEnrollmentRequested', 'DeviceEnrolled', 'DeviceConnected']);
    device.close();
    await device.closed;
  });

  it('names a key by its hash when its certificate name belongs to another key', async () => {
    const owner = await newDeviceIdentity('taken-name');
    await registerDevice(gw.store, 'taken-name', owner.keys.publicKeyHex);
    const impostor = await newDeviceIdentity('taken-name');
    const device = await TestDevice.connect(gw.gateway.tlsPort, impostor);
    const welcome = await device.enroll();
    expect(welcome.body.deviceId).toBe(keyDerivedDeviceId(impostor.keys.publicKeyHex));
    expect(welcome.body.deviceId).toMatch(/^dev-[0-9a-f]{12}$/);
    expect(await deviceEventTypes(gw.store, 'taken-name')).toEqual(['DeviceRegistered']);
    device.close();
    await device.closed;
  });

  it('refuses a revoked key at connect with Rejected and writes nothing', async () => {
    const identity = await newDeviceIdentity('x');
    await registerDevice(gw.store, 'revoked-1', identity.keys.publicKeyHex);
    await deviceCommand(gw.store, 'RevokeDevice', { deviceId: 'revoked-1', reason: 'stolen' });
    const device = await TestDevice.connect(gw.gateway.tlsPort, identity);
    device.hello();
    const refused = await device.expect('Rejected');
    expect(refused.body).toEqual({ code: 'revoked', reason: expect.stringMatching(/stolen|revoked/) });
    expect(await closedWithin(device.socket, 10_000)).toBe(true);
    expect(await deviceEventTypes(gw.store, 'revoked-1')).toEqual(['DeviceRegistered', 'DeviceRevoked']);
  });

  it('closes a live session as soon as its device is revoked', async () => {
    const identity = await newDeviceIdentity('y');
    await registerDevice(gw.store, 'revoked-2', identity.keys.publicKeyHex);
    const device = await TestDevice.connect(gw.gateway.tlsPort, identity);
    await device.enroll();
    await eventually(async () => (await deviceStatus(gw.store, 'revoked-2')) === 'Connected', 20_000, 'device Connected');
    await deviceCommand(gw.store, 'RevokeDevice', { deviceId: 'revoked-2', reason: 'decommissioned' });
    const bye = await device.expect('Bye');
    expect(bye.body).toEqual({ reason: 'revoked' });
    expect(await closedWithin(device.socket, 10_000)).toBe(true);
    expect(await deviceStatus(gw.store, 'revoked-2')).toBe('Revoked');
  });

  it('holds an unapproved device pending and welcomes it on the same connection once approved', async () => {
    const manual = await startTestGateway(nats().url, { gatewayId: 'gateway-manual', autoApprove: false });
    try {
      const opened = await manual.http('/admin/pairing', { method: 'POST', token: ADMIN_TOKEN, body: { enabled: true } });
      expect(opened.status).toBe(200);
      const device = await TestDevice.connect(manual.gateway.tlsPort, await newDeviceIdentity('waiting-one'));
      device.hello();
      const pending = await device.expect('EnrollmentPending');
      expect(pending.body.reason).toMatch(/approval/);
      await eventually(async () => (await deviceStatus(manual.store, 'waiting-one')) === 'Enrolling', 20_000, 'device Enrolling');

      await deviceCommand(manual.store, 'ApproveDevice', { deviceId: 'waiting-one' });
      const welcome = await device.expect('Welcome');
      expect(welcome.body).toMatchObject({ deviceId: 'waiting-one', gatewayId: 'gateway-manual' });
      await eventually(async () => (await deviceStatus(manual.store, 'waiting-one')) === 'Connected', 20_000, 'device Connected');
      device.close();
      await device.closed;
    } finally {
      await manual.stop();
    }
  });

  it('lets a pending device go with Bye pending_timeout when nobody approves it', async () => {
    const strict = await startTestGateway(nats().url, { gatewayId: 'gateway-strict', autoApprove: false, pendingHoldMs: 1_500 });
    try {
      await strict.http('/admin/pairing', { method: 'POST', token: ADMIN_TOKEN, body: { enabled: true } });
      const device = await TestDevice.connect(strict.gateway.tlsPort, await newDeviceIdentity('ignored-one'));
      device.hello();
      await device.expect('EnrollmentPending');
      expect((await device.expect('Bye')).body).toEqual({ reason: 'pending_timeout' });
      expect(await closedWithin(device.socket, 10_000)).toBe(true);
      expect(await deviceStatus(strict.store, 'ignored-one')).toBe('Enrolling');
    } finally {
      await strict.stop();
    }
  });

  it('supersedes the older session when a device connects again', async () => {
    const identity = await newDeviceIdentity('twice');
    await registerDevice(gw.store, 'twice', identity.keys.publicKeyHex);
    const first = await TestDevice.connect(gw.gateway.tlsPort, identity);
    await first.enroll();
    const second = await TestDevice.connect(gw.gateway.tlsPort, identity);
    await second.enroll();
    expect((await first.expect('Bye')).body).toEqual({ reason: 'superseded' });
    expect(await closedWithin(first.socket, 10_000)).toBe(true);
    second.send('Heartbeat', { seq: 1, uptimeMs: 1, freeMemoryBytes: 1, apps: [] });
    await second.expect('HeartbeatAck');
    // The old session's disconnect must not cut the new one in the log.
    await eventually(async () => (await deviceEventTypes(gw.store, 'twice')).length >= 4, 20_000, 'both connections recorded');
    expect(await deviceStatus(gw.store, 'twice')).toBe('Connected');
    second.close();
    await second.closed;
  });
});
