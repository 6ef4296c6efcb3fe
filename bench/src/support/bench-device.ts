import { connect, createSecureContext, type SecureContext, type TLSSocket } from 'node:tls';
import {
  decodeMessage,
  encodeMessageFrame,
  FrameDecoder,
  MIN_DEVICE_FRAME_BYTES,
  type DeviceMessage,
  type DeviceMessageType,
  type HelloBody,
  type Message,
  type MessageBodies,
} from '@wasmbed/protocol';
import type { DeviceCredentials } from './device-certificates';
import type { Target } from './worker-messages';

export interface DeviceEvents {
  /** A heartbeat came back (HeartbeatAck from the gateway, the same frame from the echo server). */
  answered(device: BenchDevice, rttMs: number): void;
  /** Something other than an answer, or the connection ended after the device was up. */
  failed(device: BenchDevice, reason: string): void;
}

const HELLO: HelloBody = {
  firmware: 'wasmbed-bench 1.0',
  board: 'bench',
  arch: 'x86_64',
  ramBytes: 65_536,
  maxFrameBytes: MIN_DEVICE_FRAME_BYTES,
  runtime: { name: 'bench', version: '1', maxModuleBytes: 65_536, maxInstances: 1, hostFunctions: [] },
  apps: [],
};

/**
 * The leanest device that keeps a real session: TLS 1.3 with its own Ed25519
 * certificate, Hello → Welcome, then Heartbeats whose answers it times. Against
 * the echo server it sends the same Heartbeat frames and times their echo. The
 * answers of pipelined heartbeats arrive in order, so one queue of send times
 * matches them.
 */
export class BenchDevice {
  private readonly decoder = new FrameDecoder({ maxFrameBytes: MIN_DEVICE_FRAME_BYTES });
  private readonly sentAt: number[] = [];
  private msgId = 0;
  private seq = 0;
  private ready = false;
  private done = false;

  private constructor(
    private readonly socket: TLSSocket,
    private readonly target: Target,
    private readonly events: DeviceEvents,
    private readonly startedAt: number,
  ) {}

  /**
   * The device's TLS settings: its key and certificate, and the CA it verifies
   * the server with. Building one costs OpenSSL milliseconds (PEM decoding), so
   * load generators build them all before they start dialing.
   */
  static tlsContext(target: Target, credentials: DeviceCredentials): SecureContext {
    return createSecureContext({ key: credentials.keyPem, cert: credentials.certPem, ca: target.caPem, minVersion: 'TLSv1.3' });
  }

  /** Dials and resolves once the device is up: TLS done (echo) or Welcome received (gateway). */
  static open(target: Target, secureContext: SecureContext, events: DeviceEvents, timeoutMs: number): Promise<BenchDevice> {
    const socket = connect({
      host: '127.0.0.1',
      port: target.port,
      servername: 'localhost',
      secureContext,
      minVersion: 'TLSv1.3',
      ALPNProtocols: ['wasmbed'],
    });
    const device = new BenchDevice(socket, target, events, performance.now());
    return device.start(timeoutMs);
  }

  get isOpen(): boolean {
    return this.ready && !this.done;
  }

  get inFlight(): number {
    return this.sentAt.length;
  }

  /** Sends `count` Heartbeats in one write; returns how many were sent (none once the device is closed). */
  sendHeartbeats(count = 1): number {
    if (!this.isOpen || count <= 0) return 0;
    this.socket.cork();
    for (let i = 0; i < count; i++) {
      this.seq += 1;
      const now = performance.now();
      this.send('Heartbeat', { seq: this.seq, uptimeMs: Math.round(now - this.startedAt), freeMemoryBytes: 32_768, apps: [] });
      this.sentAt.push(now);
    }
    this.socket.uncork();
    return count;
  }

  close(): Promise<void> {
    this.done = true;
    if (this.socket.closed) return Promise.resolve();
    return new Promise((resolve) => {
      this.socket.once('close', () => resolve());
      this.socket.destroy();
    });
  }

  private send<T extends DeviceMessageType>(type: T, body: MessageBodies[T]): void {
    this.msgId += 1;
    this.socket.write(encodeMessageFrame({ type, msgId: this.msgId, correlationId: 0, body } as DeviceMessage));
  }

  private start(timeoutMs: number): Promise<BenchDevice> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => fail(`not up within ${timeoutMs} ms`), timeoutMs);
      const fail = (reason: string) => {
        clearTimeout(timer);
        this.done = true;
        this.socket.destroy();
        reject(new Error(reason));
      };
      const up = () => {
        clearTimeout(timer);
        this.ready = true;
        resolve(this);
      };
      this.socket.on('error', (err) => (this.ready ? this.lost(`socket error: ${err.message}`) : fail(`TLS: ${err.message}`)));
      this.socket.on('close', () => (this.ready ? this.lost('connection closed') : fail('connection closed before the device was up')));
      this.socket.once('secureConnect', () => {
        if (this.target.mode === 'echo') return up();
        this.send('Hello', HELLO);
      });
      this.socket.on('data', (chunk: Buffer) => {
        // Heartbeats sent in answer to this chunk leave in one write, as a device with a send buffer would send them.
        this.socket.cork();
        try {
          this.decoder.push(chunk, (payload) => {
            const message = decodeMessage(payload);
            if (this.ready) this.received(message);
            else if (message.type === 'Welcome') up();
            else fail(`${message.type} instead of Welcome: ${JSON.stringify(message.body)}`);
          });
        } catch (err) {
          if (this.ready) this.lost(`undecodable answer: ${(err as Error).message}`);
          else fail(`undecodable answer: ${(err as Error).message}`);
        } finally {
          this.socket.uncork();
        }
      });
    });
  }

  private received(message: Message): void {
    const expected = this.target.mode === 'echo' ? 'Heartbeat' : 'HeartbeatAck';
    const sentAt = this.sentAt.shift();
    // Pipelined heartbeats are answered in order: the oldest outstanding seq is the one due.
    const dueSeq = this.seq - this.sentAt.length;
    if (message.type !== expected || sentAt === undefined || (message.body as { seq: number }).seq !== dueSeq) {
      this.lost(`unexpected ${message.type}: ${JSON.stringify(message.body)}`);
      return;
    }
    this.events.answered(this, performance.now() - sentAt);
  }

  private lost(reason: string): void {
    if (this.done) return;
    this.done = true;
    this.socket.destroy();
    this.events.failed(this, reason);
  }
}
