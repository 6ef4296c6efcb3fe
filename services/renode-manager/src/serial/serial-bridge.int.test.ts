// The bridge between a device's link UART (a TCP socket, as QEMU serves it) and a
// gateway, over real sockets: bytes relayed unchanged, one gateway connection per
// TLS session the device starts (even while the previous one is open), a real TLS
// 1.3 handshake end to end through it, and redirects followed from the console.
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { Duplex } from 'node:stream';
import { connect as tlsConnect, createServer as createTlsServer, type TLSSocket } from 'node:tls';
import { createCertificateAuthority, issueServerCertificate } from '@wasmbed/pki';
import { createJsonLogger } from '@wasmbed/service-kit';
import { eventually } from '@wasmbed/testing';
import { GatewayRoutes } from './gateway-routes';
import { SerialBridge } from './serial-bridge';

const logger = createJsonLogger('bridge-test', 'error');

/** Both ends of a loopback TCP connection: [the end the bridge gets, the end the test plays the UART on]. */
async function socketPair(): Promise<[Socket, Socket]> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const accepted = once(server, 'connection') as Promise<[Socket]>;
  const client = connect((server.address() as AddressInfo).port, '127.0.0.1');
  const [[serverSide]] = await Promise.all([accepted, once(client, 'connect')]);
  server.close();
  return [serverSide, client];
}

async function listen(server: Server): Promise<number> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return (server.address() as AddressInfo).port;
}

/** A TLS session over the UART without closing the UART when the session ends (a serial line has no FIN). */
function uartStream(raw: Socket): Duplex {
  const stream = new Duplex({
    read() {},
    write(chunk: Buffer, _encoding, callback) {
      raw.write(chunk, callback);
    },
    final(callback) {
      callback();
    },
  });
  const onData = (chunk: Buffer) => stream.push(chunk);
  raw.on('data', onData);
  stream.on('close', () => raw.off('data', onData));
  return stream;
}

/** Routes with the provisioned endpoint `gw.test:<port>` bridged to the loopback port, plus `allowed`. */
const routesTo = (port: number, allowed: string[] = []) => new GatewayRoutes(`gw.test:${port}`, { host: '127.0.0.1', port }, allowed);

/** A gateway that records what each connection receives. */
async function recordingGateway(): Promise<{ port: number; sessions: { received: Buffer[]; socket: Socket; closed: boolean }[]; close(): void }> {
  const sessions: { received: Buffer[]; socket: Socket; closed: boolean }[] = [];
  const server = createServer((socket) => {
    const session = { received: [] as Buffer[], socket, closed: false };
    sessions.push(session);
    socket.on('data', (chunk: Buffer) => session.received.push(chunk));
    socket.on('error', () => socket.destroy());
    socket.on('close', () => (session.closed = true));
  });
  const port = await listen(server);
  return { port, sessions, close: () => server.close() };
}

const received = (session: { received: Buffer[] } | undefined) => Buffer.concat(session?.received ?? []);

const helloRecord = (body: Buffer) => Buffer.concat([Buffer.from([0x16, 0x03, 0x01, (body.length + 1) >> 8, (body.length + 1) & 0xff, 0x01]), body]);
const appRecord = (body: Buffer) => Buffer.concat([Buffer.from([0x17, 0x03, 0x03, body.length >> 8, body.length & 0xff]), body]);

describe('serial bridge', () => {
  const cleanup: (() => void)[] = [];
  afterEach(() => cleanup.splice(0).forEach((f) => f()));

  it('relays bytes unchanged both ways, from the ClientHello on, and opens a new connection per session', async () => {
    const sessions: { received: Buffer[]; socket: Socket }[] = [];
    const gateway = createServer((socket) => {
      const session = { received: [] as Buffer[], socket };
      sessions.push(session);
      socket.on('data', (chunk: Buffer) => session.received.push(chunk));
    });
    const port = await listen(gateway);
    cleanup.push(() => gateway.close());
    const [link, uart] = await socketPair();
    const bridge = new SerialBridge(link, routesTo(port), logger);
    cleanup.push(() => bridge.close(), () => uart.destroy());
    const fromGateway: Buffer[] = [];
    uart.on('data', (chunk: Buffer) => fromGateway.push(chunk));

    // Noise before any session (a boot message on the wrong port, say) goes nowhere.
    uart.write(Buffer.from('garbage before the first session'));
    const first = helloRecord(randomBytes(200));
    // Application data records of 16 KiB: the bridge follows the record framing.
    const bulk = Buffer.concat(Array.from({ length: 16 }, () => appRecord(randomBytes(16 * 1024))));
    uart.write(first);
    uart.write(bulk);
    await eventually('the gateway to receive the session', () => Buffer.concat(sessions[0]?.received ?? []).length === first.length + bulk.length);
    expect(Buffer.concat(sessions[0].received).equals(Buffer.concat([first, bulk]))).toBe(true);

    const reply = randomBytes(128 * 1024);
    sessions[0].socket.write(reply);
    await eventually('the device to receive the reply', () => Buffer.concat(fromGateway).length === reply.length);
    expect(Buffer.concat(fromGateway).equals(reply)).toBe(true);
    expect(bridge.stats).toMatchObject({ toGateway: first.length + bulk.length, toDevice: reply.length, gatewayConnections: 1, droppedBytes: 32, gatewayOpen: true, target: `127.0.0.1:${port}`, dialing: null });

    // The gateway ends the session; the device's late records of it are dropped, its next ClientHello opens session 2.
    sessions[0].socket.end();
    await eventually('the bridge to notice the end of the session', () => !bridge.stats.gatewayOpen);
    const stale = Buffer.from([0x17, 0x03, 0x03, 0x00, 0x02, 0xaa, 0xbb]);
    const second = helloRecord(randomBytes(100));
    uart.write(stale);
    uart.write(second);
    await eventually('session 2', () => Buffer.concat(sessions[1]?.received ?? []).length === second.length);
    expect(Buffer.concat(sessions[1].received).equals(second)).toBe(true);
    expect(bridge.stats).toMatchObject({ gatewayConnections: 2, droppedBytes: 32 + stale.length });
  });

  it('carries a TLS 1.3 handshake and data end to end, twice over one UART', async () => {
    const ca = await createCertificateAuthority({ commonName: 'Bridge Test CA', validityDays: 1 });
    const server = await issueServerCertificate(ca, { commonName: 'gw', dnsNames: ['localhost'], validityDays: 1 });
    let handshakes = 0;
    const gateway = createTlsServer({ key: server.keyPem, cert: server.certPem, minVersion: 'TLSv1.3' }, (socket) => {
      handshakes += 1;
      socket.on('data', (chunk: Buffer) => socket.end(Buffer.concat([Buffer.from('echo:'), chunk])));
    });
    const port = await listen(gateway);
    cleanup.push(() => gateway.close());
    const [link, uart] = await socketPair();
    const bridge = new SerialBridge(link, routesTo(port), logger);
    cleanup.push(() => bridge.close(), () => uart.destroy());

    const session = async (message: string): Promise<string> => {
      const tls: TLSSocket = tlsConnect({ socket: uartStream(uart), ca: ca.certPem, servername: 'localhost', minVersion: 'TLSv1.3' });
      await once(tls, 'secureConnect');
      expect(tls.getProtocol()).toBe('TLSv1.3');
      tls.write(message);
      const chunks: Buffer[] = [];
      tls.on('data', (chunk: Buffer) => chunks.push(chunk));
      await once(tls, 'end');
      tls.destroy();
      return Buffer.concat(chunks).toString();
    };

    expect(await session('first')).toBe('echo:first');
    await eventually('the bridge to notice the end of the session', () => !bridge.stats.gatewayOpen);
    expect(await session('second')).toBe('echo:second');
    expect(handshakes).toBe(2);
    expect(bridge.stats.gatewayConnections).toBe(2);
  });

  it('survives an unreachable gateway: the next ClientHello tries again', async () => {
    const probe = createServer();
    const port = await listen(probe);
    probe.close(); // nobody listens there now
    const [link, uart] = await socketPair();
    const bridge = new SerialBridge(link, routesTo(port), logger);
    cleanup.push(() => bridge.close(), () => uart.destroy());
    uart.write(helloRecord(randomBytes(50)));
    await eventually('the failed connection to be reported', () => bridge.stats.lastGatewayError !== null && !bridge.stats.gatewayOpen);

    const gateway = createServer((socket) => socket.on('data', () => socket.end()));
    gateway.listen(port, '127.0.0.1');
    await once(gateway, 'listening');
    cleanup.push(() => gateway.close());
    uart.write(helloRecord(randomBytes(50)));
    await eventually('a second connection', () => bridge.stats.gatewayConnections === 2);
  });

  it('ends the gateway connection when the emulator goes away', async () => {
    let gatewaySide: Socket | undefined;
    const gateway = createServer((socket) => {
      gatewaySide = socket;
      socket.resume(); // read to the end, so 'end' and 'close' come
    });
    const port = await listen(gateway);
    cleanup.push(() => gateway.close());
    const [link, uart] = await socketPair();
    const bridge = new SerialBridge(link, routesTo(port), logger);
    uart.write(helloRecord(randomBytes(10)));
    await eventually('the gateway connection', () => gatewaySide);
    const closed = once(gatewaySide!, 'close');
    uart.destroy();
    await closed;
    expect(bridge.stats.gatewayOpen).toBe(false);
  });

  it('gives a new ClientHello its own gateway connection while the old one is still open', async () => {
    const gateway = await recordingGateway();
    cleanup.push(() => gateway.close());
    const [link, uart] = await socketPair();
    const bridge = new SerialBridge(link, routesTo(gateway.port), logger);
    cleanup.push(() => bridge.close(), () => uart.destroy());

    const first = Buffer.concat([helloRecord(randomBytes(200)), appRecord(randomBytes(300))]);
    uart.write(first);
    await eventually('session 1', () => received(gateway.sessions[0]).length === first.length);
    // The device gave up on session 1 (say its HeartbeatAck timed out); the gateway still holds it open.
    // Its last record and the new handshake come in one write, the new ClientHello's header cut by the next write.
    const tail = appRecord(randomBytes(40));
    const second = Buffer.concat([helloRecord(randomBytes(180)), appRecord(randomBytes(64))]);
    uart.write(Buffer.concat([tail, second.subarray(0, 3)]));
    await eventually('the tail in session 1', () => received(gateway.sessions[0]).length === first.length + tail.length);
    uart.write(second.subarray(3));
    await eventually('session 2', () => received(gateway.sessions[1]).length === second.length);
    expect(received(gateway.sessions[1]).equals(second)).toBe(true);
    expect(received(gateway.sessions[0]).equals(Buffer.concat([first, tail]))).toBe(true);
    await eventually('session 1 to be closed by the bridge', () => gateway.sessions[0].closed);

    // What the old connection's gateway still sends never reaches the device; the new one's does.
    const fromGateway: Buffer[] = [];
    uart.on('data', (chunk: Buffer) => fromGateway.push(chunk));
    gateway.sessions[1].socket.write('server hello');
    await eventually('the reply of session 2', () => Buffer.concat(fromGateway).toString() === 'server hello');
    expect(bridge.stats).toMatchObject({ gatewayConnections: 2, gatewayOpen: true, droppedBytes: 0, toGateway: first.length + tail.length + second.length });
  });

  it('ends the session at a record header no TLS peer sends, and recovers at the next ClientHello', async () => {
    const gateway = await recordingGateway();
    cleanup.push(() => gateway.close());
    const [link, uart] = await socketPair();
    const bridge = new SerialBridge(link, routesTo(gateway.port), logger);
    cleanup.push(() => bridge.close(), () => uart.destroy());
    const first = helloRecord(randomBytes(100));
    uart.write(first);
    await eventually('session 1', () => received(gateway.sessions[0]).length === first.length);
    const garbage = Buffer.concat([Buffer.from([0x17, 0x03, 0x03, 0xff, 0xff]), randomBytes(40_000)]);
    uart.write(garbage);
    await eventually('session 1 to be ended', () => gateway.sessions[0].closed && !bridge.stats.gatewayOpen);
    const second = helloRecord(randomBytes(100));
    uart.write(second);
    await eventually('session 2', () => received(gateway.sessions[1]).length === second.length);
    expect(received(gateway.sessions[1]).equals(second)).toBe(true);
    expect(received(gateway.sessions[0]).equals(first)).toBe(true);
    expect(bridge.stats).toMatchObject({ resyncs: 1, droppedBytes: garbage.length, gatewayConnections: 2 });
  });

  it('follows an allowed `agent: dialing` endpoint with the next session, and refuses others', async () => {
    const [home, other, stranger] = [await recordingGateway(), await recordingGateway(), await recordingGateway()];
    cleanup.push(() => home.close(), () => other.close(), () => stranger.close());
    const warnings: { message: string; fields?: Record<string, unknown> }[] = [];
    const watching = { ...logger, warn: (message: string, fields?: Record<string, unknown>) => warnings.push({ message, fields }) };
    const [link, uart] = await socketPair();
    // `other` is allowed under the name `localhost`; `stranger` is not allowed at all.
    const bridge = new SerialBridge(link, routesTo(home.port, [`localhost:${other.port}`]), watching, { device: 'emu-1' });
    cleanup.push(() => bridge.close(), () => uart.destroy());

    const first = helloRecord(randomBytes(100));
    uart.write(first);
    await eventually('session 1 at home', () => received(home.sessions[0]).length === first.length);

    // A Bye redirect: the console names the new endpoint; the open session stays where it is.
    bridge.consoleLine(`> agent: dialing LOCALHOST:${other.port}`);
    expect(bridge.stats).toMatchObject({ target: `localhost:${other.port}`, dialing: `LOCALHOST:${other.port}`, gatewayOpen: true });
    const more = appRecord(randomBytes(10));
    uart.write(more);
    await eventually('the rest of session 1 at home', () => received(home.sessions[0]).length === first.length + more.length);
    const second = helloRecord(randomBytes(120));
    uart.write(second);
    await eventually('session 2 at the other gateway', () => received(other.sessions[0]).length === second.length);
    expect(received(other.sessions[0]).equals(second)).toBe(true);
    expect(home.sessions).toHaveLength(1);

    // Endpoints the operator did not allow, or that are no endpoints at all: refused, logged, the target stays.
    // The same refusal twice in a row is logged once.
    for (const line of [`agent: dialing 127.0.0.1:${stranger.port}`, `agent: dialing localhost:${stranger.port}`, `agent: dialing localhost:${stranger.port}`, 'agent: dialing $(reboot):4423', `agent: dialing 127.0.0.1:${stranger.port}`]) {
      bridge.consoleLine(line);
    }
    expect(bridge.stats).toMatchObject({ target: `localhost:${other.port}`, dialing: `127.0.0.1:${stranger.port}`, refusedEndpoints: 5 });
    expect(warnings.map((w) => w.fields)).toEqual([
      expect.objectContaining({ device: 'emu-1', endpoint: `127.0.0.1:${stranger.port}`, reason: 'not an allowed gateway endpoint (WASMBED_EMU_GATEWAY_ALLOW)' }),
      expect.objectContaining({ endpoint: `localhost:${stranger.port}` }),
      expect.objectContaining({ endpoint: '$(reboot):4423', reason: 'not a host:port endpoint' }),
      expect.objectContaining({ endpoint: `127.0.0.1:${stranger.port}` }),
    ]);
    const third = helloRecord(randomBytes(90));
    uart.write(third);
    await eventually('session 3 at the other gateway', () => received(other.sessions[1]).length === third.length);
    expect(stranger.sessions).toHaveLength(0);

    // Back to the provisioned endpoint (the firmware's fallback after failed attempts): the configured address.
    bridge.consoleLine(`agent: dialing gw.test:${home.port}`);
    const fourth = helloRecord(randomBytes(70));
    uart.write(fourth);
    await eventually('session 4 at home', () => received(home.sessions[1]).length === fourth.length);
    expect(bridge.stats).toMatchObject({ target: `127.0.0.1:${home.port}`, gatewayConnections: 4 });
  });
});
