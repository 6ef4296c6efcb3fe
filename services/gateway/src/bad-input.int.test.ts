import { connect as tcpConnect } from 'node:net';
import { encodeCbor, encodeFrame } from '@wasmbed/protocol';
import { deviceStatus, eventually, registerDevice } from './test-support/fleet';
import { startTestGateway, withGateway } from './test-support/gateway-fixture';
import { closedWithin, helloBody, newDeviceIdentity, openTls, TestDevice } from './test-support/test-device';

const { nats, gw } = withGateway({ helloTimeoutMs: 1_500, handshakeTimeoutMs: 1_500 });

let witness: TestDevice;
let witnessSeq = 0;

beforeAll(async () => {
  const identity = await newDeviceIdentity('witness');
  await registerDevice(gw().store, 'witness', identity.keys.publicKeyHex);
  witness = await TestDevice.connect(gw().gateway.tlsPort, identity);
  await witness.enroll();
  await eventually(async () => (await deviceStatus(gw().store, 'witness')) === 'Connected', 20_000, 'witness Connected');
});

// After every case: the gateway is up and the other session is served as before.
afterEach(async () => {
  witnessSeq += 1;
  witness.send('Heartbeat', { seq: witnessSeq, uptimeMs: witnessSeq, freeMemoryBytes: 1, apps: [] });
  expect((await witness.expect('HeartbeatAck')).body.seq).toBe(witnessSeq);
  expect((await gw().http('/healthz')).status).toBe(200);
});

afterAll(() => witness?.close());

/** A device that completed TLS and nothing else. */
const fresh = async () => TestDevice.connect(gw().gateway.tlsPort, await newDeviceIdentity('misbehaving'));

async function expectFatal(device: TestDevice, code: string): Promise<void> {
  const error = await device.expect('Error');
  expect(error.body).toMatchObject({ code, fatal: true });
  expect(await closedWithin(device.socket, 10_000)).toBe(true);
}

/** An established device, to misbehave after enrollment. */
async function established(deviceId: string): Promise<TestDevice> {
  const identity = await newDeviceIdentity(deviceId);
  await registerDevice(gw().store, deviceId, identity.keys.publicKeyHex);
  const device = await TestDevice.connect(gw().gateway.tlsPort, identity);
  await device.enroll();
  return device;
}

describe('bad input from devices', () => {
  it('refuses a frame over 64 KiB from its length prefix alone', async () => {
    const device = await fresh();
    const prefix = Buffer.alloc(4);
    prefix.writeUInt32BE(65_537);
    device.sendRaw(prefix);
    await expectFatal(device, 'frame_too_large');
  });

  it('reports a frame truncated by the end of the stream', async () => {
    const device = await fresh();
    const frame = encodeFrame(encodeCbor([1, 1, 1, 0, {}]));
    device.sendRaw(frame.subarray(0, frame.length - 2));
    device.socket.end();
    await expectFatal(device, 'malformed_frame');
  });

  it('refuses a zero-length frame', async () => {
    const device = await fresh();
    device.sendRaw(new Uint8Array(4));
    await expectFatal(device, 'malformed_frame');
  });

  it('refuses invalid CBOR', async () => {
    const device = await fresh();
    device.sendRaw(encodeFrame(new Uint8Array([0xff, 0x00, 0x13])));
    await expectFatal(device, 'invalid_cbor');
  });

  it('refuses a message whose fields have the wrong types, naming the field', async () => {
    const device = await fresh();
    const { runtime, ...rest } = helloBody();
    device.sendCbor([1, 1, 1, 0, { ...rest, ramBytes: 'lots', runtime: { ...runtime, hostFunctions: [...runtime.hostFunctions] }, apps: [] }]);
    const error = await device.expect('Error');
    expect(error.body).toMatchObject({ code: 'invalid_message', fatal: true, message: expect.stringContaining('ramBytes') });
    expect(await closedWithin(device.socket, 10_000)).toBe(true);
  });

  it('refuses an unknown message type before enrollment', async () => {
    const device = await fresh();
    device.sendCbor([1, 99, 1, 0, {}]);
    await expectFatal(device, 'unknown_type');
  });

  it('answers an unknown message type once established, and the session goes on', async () => {
    const device = await established('unknown-type');
    device.sendCbor([1, 99, 2, 0, {}]);
    const error = await device.expect('Error');
    expect(error.body).toMatchObject({ code: 'unknown_type', fatal: false });
    device.send('Heartbeat', { seq: 1, uptimeMs: 1, freeMemoryBytes: 1, apps: [] }, { msgId: 3 });
    expect((await device.expect('HeartbeatAck')).body.seq).toBe(1);
    device.close();
    await device.closed;
  });

  it('refuses a message before Hello', async () => {
    const device = await fresh();
    device.send('Heartbeat', { seq: 1, uptimeMs: 1, freeMemoryBytes: 1, apps: [] });
    await expectFatal(device, 'unexpected_message');
  });

  it('refuses a second Hello', async () => {
    const device = await established('second-hello');
    device.hello();
    await expectFatal(device, 'unexpected_message');
  });

  it('refuses a replayed msgId', async () => {
    const device = await established('replayer');
    const msgId = device.send('Heartbeat', { seq: 1, uptimeMs: 1, freeMemoryBytes: 1, apps: [] });
    await device.expect('HeartbeatAck');
    device.send('Heartbeat', { seq: 2, uptimeMs: 2, freeMemoryBytes: 1, apps: [] }, { msgId });
    await expectFatal(device, 'replayed_message');
  });

  it('refuses a message from the gateway side of the protocol', async () => {
    const device = await fresh();
    device.sendCbor([1, 2, 1, 1, { deviceId: 'x', gatewayId: 'y', heartbeatIntervalMs: 1000, serverTimeMs: 0 }]);
    await expectFatal(device, 'unexpected_message');
  });

  it('cuts a device that never says Hello at the hello timeout', async () => {
    const device = await fresh();
    await expectFatal(device, 'timeout');
  });

  it('refuses TLS 1.2', async () => {
    const identity = await newDeviceIdentity('old-tls');
    await expect(openTls(gw().gateway.tlsPort, { cert: identity.certPem, key: identity.keys.privateKeyPem, maxVersion: 'TLSv1.2' })).rejects.toThrow();
  });

  it('closes a connection that presents no client certificate', async () => {
    const socket = await openTls(gw().gateway.tlsPort, {});
    socket.on('error', () => undefined);
    const frames: Buffer[] = [];
    socket.on('data', (d: Buffer) => frames.push(d));
    expect(await closedWithin(socket, 10_000)).toBe(true);
    expect(frames).toEqual([]);
  });

  it('cuts a client that never finishes the TLS handshake', async () => {
    const socket = tcpConnect({ host: '127.0.0.1', port: gw().gateway.tlsPort });
    socket.on('error', () => undefined);
    await new Promise((resolve) => socket.once('connect', resolve));
    // Half a ClientHello record header, then silence.
    socket.write(Buffer.from([0x16, 0x03]));
    const closed = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), 15_000);
      socket.once('close', () => {
        clearTimeout(timer);
        resolve(true);
      });
    });
    expect(closed).toBe(true);
  });

  it('refuses sessions beyond its capacity with Bye, serving those within', async () => {
    const small = await startTestGateway(nats().url, { gatewayId: 'gateway-small', capacity: 1 });
    try {
      const first = await TestDevice.connect(small.gateway.tlsPort, await newDeviceIdentity('first'));
      await eventually(async () => ((await small.http('/admin/sessions', { token: 'test-viewer-token' })).body as { sessions: unknown[] }).sessions.length === 1);
      const second = await TestDevice.connect(small.gateway.tlsPort, await newDeviceIdentity('second'));
      expect((await second.expect('Bye')).body).toMatchObject({ reason: 'over_capacity', retryAfterMs: 30_000 });
      expect(await closedWithin(second.socket, 10_000)).toBe(true);
      expect(first.isClosed).toBe(false);
      first.close();
      await first.closed;
    } finally {
      await small.stop();
    }
  });

  it('shows the refusals in its metrics', async () => {
    const { text } = await gw().http('/metrics');
    expect(text).toMatch(/wasmbed_gateway_protocol_errors_total\{code="frame_too_large"\} 1/);
    expect(text).toMatch(/wasmbed_gateway_handshakes_total\{outcome="no_certificate"\} 1/);
    expect(text).toMatch(/wasmbed_gateway_handshakes_total\{outcome="tls_failed"\} [1-9]/);
    expect(text).toMatch(/wasmbed_gateway_heartbeat_handling_seconds_count [1-9]/);
  });
});
