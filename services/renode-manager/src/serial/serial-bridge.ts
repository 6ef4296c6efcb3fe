import { connect, type Socket } from 'node:net';
import type { HostPort, Logger } from '@wasmbed/service-kit';
import { dialingEndpoint } from './console-lines';
import type { GatewayRoutes } from './gateway-routes';
import { TlsRecordSplitter } from './tls-record-splitter';

export interface SerialBridgeStats {
  /** Bytes relayed device → gateway and gateway → device. */
  readonly toGateway: number;
  readonly toDevice: number;
  /** TCP connections opened to the gateway (one per TLS session the device started). */
  readonly gatewayConnections: number;
  /** Device bytes that belonged to no session (before the first, the tail of a closed one, a garbled stretch), not relayed. */
  readonly droppedBytes: number;
  /** Record headers no TLS peer sends: each cost the session it came in. */
  readonly resyncs: number;
  readonly gatewayOpen: boolean;
  readonly lastGatewayError: string | null;
  /** Where the device's next session goes (host:port). */
  readonly target: string;
  /** The endpoint the device's console last said it dials (followed or not); null before it said any. */
  readonly dialing: string | null;
  /** `agent: dialing` endpoints not followed (malformed or not allowed). */
  readonly refusedEndpoints: number;
}

/** Pauses `from` while `to` has a full buffer, so a slow side is not flooded. */
function relay(from: Socket, to: Socket, chunk: Buffer): void {
  if (!to.write(chunk)) {
    from.pause();
    to.once('drain', () => from.resume());
  }
}

const hostPortText = (t: HostPort) => `${t.host.includes(':') ? `[${t.host}]` : t.host}:${t.port}`;

/**
 * Relays an emulated device's link UART (a TCP socket to the emulator) to the
 * gateway's TLS port, byte for byte: TLS runs end to end between the MCU and the
 * gateway, the bridge sees ciphertext only (it reads record headers and the first
 * handshake byte). Each TLS session the device starts (its ClientHello) gets its
 * own gateway connection, even while the previous one is open: a device that gave
 * up on a session (a HeartbeatAck timeout, its own TLS error) says so only by
 * starting over, and its new handshake must not land in the old connection. When
 * the gateway ends a connection first, what the device still sends for that
 * session is dropped until its next ClientHello.
 *
 * The device's console says where it dials (`agent: dialing <host:port>`, e.g.
 * after a Bye redirect): fed through `consoleLine`, that moves the next session
 * there if the routes allow it.
 */
export class SerialBridge {
  private gateway: Socket | undefined;
  private readonly splitter = new TlsRecordSplitter();
  private target: HostPort;
  private closed = false;
  private counters = { toGateway: 0, toDevice: 0, gatewayConnections: 0, refusedEndpoints: 0 };
  /** Session tails: records that came after their gateway connection ended. */
  private tailDropped = 0;
  private lastGatewayError: string | null = null;
  private lastRefused: string | undefined;
  private dialing: string | null = null;

  constructor(
    private readonly link: Socket,
    private readonly routes: GatewayRoutes,
    private readonly logger: Pick<Logger, 'debug' | 'info' | 'warn'>,
    private readonly context: Record<string, unknown> = {},
  ) {
    this.target = routes.gateway;
    link.setNoDelay(true);
    link.on('data', (chunk: Buffer) => this.fromDevice(chunk));
    link.on('error', () => link.destroy());
    link.on('close', () => this.close());
  }

  get stats(): SerialBridgeStats {
    return {
      ...this.counters,
      droppedBytes: this.splitter.dropped + this.tailDropped,
      resyncs: this.splitter.resyncs,
      gatewayOpen: this.gateway !== undefined,
      lastGatewayError: this.lastGatewayError,
      target: hostPortText(this.target),
      dialing: this.dialing,
    };
  }

  /**
   * A line of the device's console. `agent: dialing <endpoint>` comes before the
   * ClientHello of the connection it announces, so it retargets the next session;
   * the open one (if any) is left alone. An endpoint the routes refuse is logged
   * and the target stays: the device's TLS then fails against a gateway whose
   * certificate does not name what it dialed, and it falls back on its own.
   */
  consoleLine(line: string): void {
    const endpoint = dialingEndpoint(line);
    if (endpoint === undefined) return;
    // Kept for the device view, cut like the log field: it is the device's text.
    this.dialing = endpoint.slice(0, 300);
    const route = this.routes.route(endpoint);
    if (!route.ok) {
      this.counters.refusedEndpoints += 1;
      // A device printing the same refused line over and over logs it once.
      if (this.lastRefused !== endpoint) {
        this.logger.warn('bridge: not following the device to an endpoint it dials', { ...this.context, endpoint: endpoint.slice(0, 300), reason: route.reason, target: hostPortText(this.target) });
      }
      this.lastRefused = endpoint;
      return;
    }
    this.lastRefused = undefined;
    if (route.target.host === this.target.host && route.target.port === this.target.port) return;
    this.logger.info('bridge: the device dials another gateway; its next session goes there', { ...this.context, endpoint, from: hostPortText(this.target), to: hostPortText(route.target) });
    this.target = route.target;
  }

  /** Ends the gateway connection and the link socket. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.gateway?.destroy();
    this.gateway = undefined;
    this.link.destroy();
  }

  private fromDevice(chunk: Buffer): void {
    for (const event of this.splitter.push(chunk)) {
      if (event.kind === 'desync') {
        if (this.gateway !== undefined) {
          this.logger.warn('bridge: the device sent a record header no TLS peer sends; ending its session', { ...this.context, header: event.header });
          this.endGateway();
        }
        continue;
      }
      if (event.clientHello) {
        if (this.gateway !== undefined) {
          this.logger.debug('bridge: the device started a new TLS session while the gateway connection was open; replacing it', this.context);
          this.endGateway();
        }
        this.openGateway();
      }
      if (this.gateway === undefined) {
        this.tailDropped += event.bytes.length;
        continue;
      }
      this.counters.toGateway += event.bytes.length;
      relay(this.link, this.gateway, event.bytes);
    }
  }

  /** Ends the current gateway connection now: nothing more of it reaches the device. */
  private endGateway(): void {
    const socket = this.gateway;
    this.gateway = undefined;
    socket?.destroy();
    // The link may have been paused for this socket's 'drain', which will not come now.
    this.link.resume();
  }

  private openGateway(): void {
    const target = this.target;
    const socket = connect({ host: target.host, port: target.port });
    socket.setNoDelay(true);
    this.gateway = socket;
    this.counters.gatewayConnections += 1;
    this.logger.debug('bridge: device started a TLS session, connecting to the gateway', { ...this.context, gateway: hostPortText(target) });
    socket.on('data', (chunk: Buffer) => {
      this.counters.toDevice += chunk.length;
      relay(socket, this.link, chunk);
    });
    socket.on('error', (err) => {
      this.lastGatewayError = err.message;
      this.logger.warn('bridge: gateway connection failed', { ...this.context, gateway: hostPortText(target), error: err.message });
      socket.destroy();
    });
    // Once the gateway has finished, the session is over: the device's next bytes wait for its next ClientHello.
    const detach = () => {
      if (this.gateway !== socket) return;
      this.gateway = undefined;
      this.link.resume();
    };
    socket.on('end', detach);
    socket.on('close', detach);
  }
}
