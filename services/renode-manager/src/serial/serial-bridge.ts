import { connect, type Socket } from 'node:net';
import type { HostPort, Logger } from '@wasmbed/service-kit';
import { ClientHelloScanner } from './client-hello';

export interface SerialBridgeStats {
  /** Bytes relayed device → gateway and gateway → device. */
  readonly toGateway: number;
  readonly toDevice: number;
  /** TCP connections opened to the gateway (one per TLS session the device started). */
  readonly gatewayConnections: number;
  /** Device bytes that belonged to no session (the tail of a closed one), not relayed. */
  readonly droppedBytes: number;
  readonly gatewayOpen: boolean;
  readonly lastGatewayError: string | null;
}

/** Pauses `from` while `to` has a full buffer, so a slow side is not flooded. */
function relay(from: Socket, to: Socket, chunk: Buffer): void {
  if (!to.write(chunk)) {
    from.pause();
    to.once('drain', () => from.resume());
  }
}

/**
 * Relays an emulated device's link UART (a TCP socket to the emulator) to the
 * gateway's TLS port, byte for byte: TLS runs end to end between the MCU and the
 * gateway, the bridge sees ciphertext only. Each TLS session the device starts (its
 * ClientHello) gets its own gateway connection; when the gateway closes it, the
 * device's next ClientHello opens a new one, so reconnects follow the device.
 */
export class SerialBridge {
  private gateway: Socket | undefined;
  private readonly scanner = new ClientHelloScanner();
  private closed = false;
  private counters = { toGateway: 0, toDevice: 0, gatewayConnections: 0 };
  private lastGatewayError: string | null = null;

  constructor(
    private readonly link: Socket,
    private readonly target: HostPort,
    private readonly logger: Pick<Logger, 'debug' | 'warn'>,
    private readonly context: Record<string, unknown> = {},
  ) {
    link.setNoDelay(true);
    link.on('data', (chunk: Buffer) => this.fromDevice(chunk));
    link.on('error', () => link.destroy());
    link.on('close', () => this.close());
  }

  get stats(): SerialBridgeStats {
    return { ...this.counters, droppedBytes: this.scanner.dropped, gatewayOpen: this.gateway !== undefined, lastGatewayError: this.lastGatewayError };
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
    if (this.gateway !== undefined) {
      this.counters.toGateway += chunk.length;
      relay(this.link, this.gateway, chunk);
      return;
    }
    const hello = this.scanner.push(chunk);
    if (hello === undefined) return;
    const gateway = this.openGateway();
    this.counters.toGateway += hello.length;
    relay(this.link, gateway, hello);
  }

  private openGateway(): Socket {
    const socket = connect({ host: this.target.host, port: this.target.port });
    socket.setNoDelay(true);
    this.gateway = socket;
    this.counters.gatewayConnections += 1;
    this.logger.debug('bridge: device started a TLS session, connecting to the gateway', { ...this.context, gateway: `${this.target.host}:${this.target.port}` });
    socket.on('data', (chunk: Buffer) => {
      this.counters.toDevice += chunk.length;
      relay(socket, this.link, chunk);
    });
    socket.on('error', (err) => {
      this.lastGatewayError = err.message;
      this.logger.warn('bridge: gateway connection failed', { ...this.context, error: err.message });
      socket.destroy();
    });
    // Once the gateway has finished, the session is over: the device's next bytes wait for its next ClientHello.
    const detach = () => {
      if (this.gateway !== socket) return;
      this.gateway = undefined;
      this.scanner.reset();
      this.link.resume();
    };
    socket.on('end', detach);
    socket.on('close', detach);
    return socket;
  }
}
