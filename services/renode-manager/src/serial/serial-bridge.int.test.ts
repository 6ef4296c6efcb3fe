// The bridge between a device's link UART (a TCP socket, as QEMU serves it) and a
// gateway, over real sockets: bytes relayed unchanged, one gateway connection per
// TLS session the device starts, and a real TLS 1.3 handshake end to end through it.
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { Duplex } from 'node:stream';
import { connect as tlsConnect, createServer as createTlsServer, type TLSSocket } from 'node:tls';
import { createCertificateAuthority, issueServerCertificate } from '@wasmbed/pki';
import { createJsonLogger } from '@wasmbed/service-kit';
import { eventually } from '@wasmbed/testing';
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

const helloRecord = (body: Buffer) => Buffer.concat([Buffer.from([0x16, 0x03, 0x01, body.length >> 8, body.length & 0xff, 0x01]), body]);

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
    const bridge = new SerialBridge(link, { host: '127.0.0.1', port }, logger);
    cleanup.push(() => bridge.close(), () => uart.destroy());
    const fromGateway: Buffer[] = [];
    uart.on('data', (chunk: Buffer) => fromGateway.push(chunk));

    // Noise before any session (a boot message on the wrong port, say) goes nowhere.
    uart.write(Buffer.from('garbage before the first session'));
    const first = helloRecord(randomBytes(200));
    const bulk = randomBytes(256 * 1024);
    uart.write(first);
    uart.write(bulk);
    await eventually('the gateway to receive the session', () => Buffer.concat(sessions[0]?.received ?? []).length === first.length + bulk.length);
    expect(Buffer.concat(sessions[0].received).equals(Buffer.concat([first, bulk]))).toBe(true);

    const reply = randomBytes(128 * 1024);
    sessions[0].socket.write(reply);
    await eventually('the device to receive the reply', () => Buffer.concat(fromGateway).length === reply.length);
    expect(Buffer.concat(fromGateway).equals(reply)).toBe(true);
    expect(bridge.stats).toMatchObject({ toGateway: first.length + bulk.length, toDevice: reply.length, gatewayConnections: 1, droppedBytes: 32, gatewayOpen: true });

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
    const bridge = new SerialBridge(link, { host: '127.0.0.1', port }, logger);
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
    const bridge = new SerialBridge(link, { host: '127.0.0.1', port }, logger);
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
    const bridge = new SerialBridge(link, { host: '127.0.0.1', port }, logger);
    uart.write(helloRecord(randomBytes(10)));
    await eventually('the gateway connection', () => gatewaySide);
    const closed = once(gatewaySide!, 'close');
    uart.destroy();
    await closed;
    expect(bridge.stats.gatewayOpen).toBe(false);
  });
});
