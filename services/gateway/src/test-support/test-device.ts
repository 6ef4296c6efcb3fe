// Test-only: a device written from the protocol package, speaking real TLS 1.3
// and real frames to the gateway. Excluded from the build.
import { connect, type ConnectionOptions, type TLSSocket } from 'node:tls';
import {
  createSelfSignedDeviceCertificate,
  generateEd25519KeyPair,
  type Ed25519KeyPair,
} from '@wasmbed/pki';
import {
  decodeGatewayMessage,
  encodeCbor,
  encodeFrame,
  encodeMessageFrame,
  FrameDecoder,
  type CborValue,
  type DeviceMessage,
  type DeviceMessageType,
  type GatewayMessage,
  type GatewayMessageType,
  type HelloBody,
  type MessageBodies,
  type MessageOf,
} from '@wasmbed/protocol';

export const HOST_FUNCTIONS = ['env.log', 'env.sleep_ms'];

export function helloBody(overrides: Partial<HelloBody> = {}): HelloBody {
  return {
    firmware: 'test-fw 1.0',
    board: 'test-board',
    arch: 'armv7m',
    ramBytes: 262_144,
    maxFrameBytes: 8_192,
    runtime: { name: 'wamr', version: '2.4.3', maxModuleBytes: 131_072, maxInstances: 4, hostFunctions: HOST_FUNCTIONS },
    apps: [],
    ...overrides,
  };
}

export interface DeviceIdentity {
  readonly keys: Ed25519KeyPair;
  readonly certPem: string;
}

/** A fresh Ed25519 key with a self-signed certificate, as a device creates on first boot. */
export async function newDeviceIdentity(commonName = 'test-device'): Promise<DeviceIdentity> {
  const keys = generateEd25519KeyPair();
  const cert = await createSelfSignedDeviceCertificate({ deviceId: commonName, privateKeyPem: keys.privateKeyPem, validityDays: 30 });
  return { keys, certPem: cert.certPem };
}

/** Connects over TLS; resolves once the handshake completed (rejects when it failed). */
export function openTls(port: number, options: ConnectionOptions): Promise<TLSSocket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, rejectUnauthorized: false, ...options });
    socket.once('secureConnect', () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Waits for the socket to close; resolves with whether it did within the timeout. */
export function closedWithin(socket: TLSSocket, ms: number): Promise<boolean> {
  if (socket.destroyed && socket.closed) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    socket.once('close', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

export class TestDevice {
  private readonly inbox: GatewayMessage[] = [];
  private readonly waiting: (() => void)[] = [];
  private readonly decoder = new FrameDecoder({ maxFrameBytes: 1_048_576 });
  private msgId = 0;
  private ended = false;
  readonly closed: Promise<void>;

  private constructor(
    readonly socket: TLSSocket,
    readonly identity: DeviceIdentity,
  ) {
    socket.on('data', (chunk: Buffer) =>
      this.decoder.push(chunk, (payload) => {
        this.inbox.push(decodeGatewayMessage(payload));
        this.waiting.splice(0).forEach((wake) => wake());
      }),
    );
    socket.on('error', () => undefined);
    this.closed = new Promise((resolve) =>
      socket.once('close', () => {
        this.ended = true;
        this.waiting.splice(0).forEach((wake) => wake());
        resolve();
      }),
    );
  }

  static async connect(port: number, identity?: DeviceIdentity): Promise<TestDevice> {
    const id = identity ?? (await newDeviceIdentity());
    const socket = await openTls(port, { cert: id.certPem, key: id.keys.privateKeyPem });
    return new TestDevice(socket, id);
  }

  get publicKeyHex(): string {
    return this.identity.keys.publicKeyHex;
  }

  get isClosed(): boolean {
    return this.ended;
  }

  /** Sends the next message in sequence (or with the msgId given, to misbehave). */
  send<T extends DeviceMessageType>(type: T, body: MessageBodies[T], options: { msgId?: number; correlationId?: number } = {}): number {
    const msgId = options.msgId ?? this.msgId + 1;
    this.msgId = Math.max(this.msgId, msgId);
    const message = { type, msgId, correlationId: options.correlationId ?? 0, body } as DeviceMessage;
    this.socket.write(encodeMessageFrame(message));
    return msgId;
  }

  /** A frame whose CBOR item is `value` as is, bypassing message validation. */
  sendCbor(value: CborValue): void {
    this.socket.write(encodeFrame(encodeCbor(value)));
  }

  sendRaw(bytes: Uint8Array): void {
    this.socket.write(bytes);
  }

  hello(overrides: Partial<HelloBody> = {}): number {
    return this.send('Hello', helloBody(overrides));
  }

  /** The next message from the gateway; rejects on timeout or when the connection closed first. */
  async next(timeoutMs = 15_000): Promise<GatewayMessage> {
    const deadline = Date.now() + timeoutMs;
    while (this.inbox.length === 0) {
      if (this.ended) throw new Error('connection closed before the next message');
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no message within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiting.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.inbox.shift()!;
  }

  /** The next message, which must be of `type`. */
  async expect<T extends GatewayMessageType>(type: T, timeoutMs?: number): Promise<MessageOf<T>> {
    const message = await this.next(timeoutMs);
    if (message.type !== type) throw new Error(`expected ${type}, got ${message.type}: ${JSON.stringify(message.body)}`);
    return message as MessageOf<T>;
  }

  /** Hello then Welcome. */
  async enroll(overrides: Partial<HelloBody> = {}): Promise<MessageOf<'Welcome'>> {
    this.hello(overrides);
    return this.expect('Welcome');
  }

  close(): void {
    this.socket.end();
  }

  destroy(): void {
    this.socket.destroy();
  }
}
