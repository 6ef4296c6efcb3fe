// TEST PEER, not a gateway: a small TLS 1.3 server that plays the gateway's side of
// the device protocol from a script, so SimDevice can be tested without
// services/gateway. It validates everything the device sends with the protocol's
// own gateway session machine (msgIds, ordering, transfers) and records it.
import { EventEmitter } from 'node:events';
import { createServer, type Server, type TLSSocket } from 'node:tls';
import { createCertificateAuthority, issueServerCertificate, peerIdentityFromSocket, type CertificateAuthority, type PeerIdentity } from '@wasmbed/pki';
import {
  FrameDecoder,
  ProtocolError,
  SessionStateMachine,
  decodeMessage,
  maxChunkDataBytes,
  type DeployBody,
  type DeviceMessage,
  type HelloBody,
  type MessageOf,
  type DeviceMessageType,
  type OutgoingMessage,
  type SessionAction,
  type SessionState,
  type Transition,
} from '@wasmbed/protocol';

/** How the peer answers a Hello. */
export type HelloAnswer =
  | { readonly kind: 'welcome'; readonly deviceId?: string; readonly heartbeatIntervalMs?: number }
  | { readonly kind: 'pending'; readonly retryAfterMs: number; readonly reason?: string }
  | { readonly kind: 'rejected'; readonly code: string; readonly reason?: string }
  /** Say nothing (the test answers through the connection). */
  | { readonly kind: 'silent' };

export interface ScriptedGatewayPeerOptions {
  readonly ca?: CertificateAuthority;
  readonly host?: string;
  /** Names in the peer's server certificate; default localhost and 127.0.0.1. */
  readonly serverNames?: { readonly dnsNames: readonly string[]; readonly ipAddresses: readonly string[] };
  readonly answerHello?: (hello: HelloBody, connection: PeerConnection) => HelloAnswer;
  /** Largest ModuleChunk data the peer sends, to force many chunks. */
  readonly chunkBytes?: number;
  /** Called for every ModuleRequest before it is served; return false to leave it unanswered. */
  readonly beforeChunk?: (request: MessageOf<'ModuleRequest'>, connection: PeerConnection) => boolean;
}

/** Module bytes the peer serves, by appId and revision (what the gateway would fetch from its store). */
type ModuleStore = Map<string, Uint8Array>;
const moduleKey = (appId: string, revision: number): string => `${appId}@${revision}`;

export class ScriptedGatewayPeer extends EventEmitter<{ connection: [PeerConnection] }> {
  readonly connections: PeerConnection[] = [];
  private readonly modules: ModuleStore = new Map();
  private readonly server: Server;
  private listeningPort = 0;

  private constructor(
    readonly ca: CertificateAuthority,
    readonly host: string,
    serverCert: { certPem: string; keyPem: string },
    options: ScriptedGatewayPeerOptions,
  ) {
    super();
    this.server = createServer(
      {
        cert: serverCert.certPem,
        key: serverCert.keyPem,
        minVersion: 'TLSv1.3',
        // Devices present self-signed certificates: accept any, identify by key.
        requestCert: true,
        rejectUnauthorized: false,
      },
      (socket) => {
        const connection = new PeerConnection(socket, options, this.modules);
        this.connections.push(connection);
        this.emit('connection', connection);
      },
    );
  }

  static async start(options: ScriptedGatewayPeerOptions = {}): Promise<ScriptedGatewayPeer> {
    const ca = options.ca ?? (await createCertificateAuthority({ commonName: 'test peer CA', validityDays: 1 }));
    const names = options.serverNames ?? { dnsNames: ['localhost'], ipAddresses: ['127.0.0.1'] };
    const serverCert = await issueServerCertificate(ca, { commonName: 'scripted-gateway-peer', ...names, validityDays: 1 });
    const peer = new ScriptedGatewayPeer(ca, options.host ?? '127.0.0.1', { certPem: serverCert.certPem, keyPem: serverCert.keyPem! }, options);
    await new Promise<void>((resolve) => peer.server.listen(0, peer.host, resolve));
    const address = peer.server.address();
    if (address === null || typeof address === 'string') throw new Error('test peer has no TCP address');
    peer.listeningPort = address.port;
    return peer;
  }

  get port(): number {
    return this.listeningPort;
  }

  get endpoint(): string {
    return `${this.host}:${this.port}`;
  }

  get caPem(): string {
    return this.ca.certPem;
  }

  /** Registers the bytes served for ModuleRequests of appId@revision (may differ from the manifest: tampering tests). */
  serveModule(appId: string, revision: number, bytes: Uint8Array): void {
    this.modules.set(moduleKey(appId, revision), bytes);
  }

  /** Every message received on every connection, in order per connection. */
  allReceived(): DeviceMessage[] {
    return this.connections.flatMap((c) => c.received);
  }

  nextConnection(): Promise<PeerConnection> {
    return new Promise((resolve) => this.once('connection', resolve));
  }

  async close(): Promise<void> {
    for (const c of this.connections) c.drop();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

export class PeerConnection extends EventEmitter<{ message: [DeviceMessage]; closed: [] }> {
  readonly received: DeviceMessage[] = [];
  /** Fatal errors the session machine raised against the device: a conformant device causes none. */
  readonly violations: string[] = [];
  readonly identity?: PeerIdentity;
  readonly tlsProtocol: string | null;
  hello?: HelloBody;
  closed = false;
  private state: SessionState;
  private readonly machine = new SessionStateMachine();
  private readonly decoder = new FrameDecoder();
  private readonly ticker: NodeJS.Timeout;

  constructor(
    readonly socket: TLSSocket,
    private readonly options: ScriptedGatewayPeerOptions,
    private readonly modules: ModuleStore,
  ) {
    super();
    this.tlsProtocol = socket.getProtocol();
    this.identity = peerIdentityFromSocket(socket);
    this.state = this.machine.initial(Date.now());
    socket.on('data', (chunk: Buffer) => {
      try {
        this.decoder.push(chunk, (payload) => this.onFrame(payload));
      } catch (err) {
        this.violations.push(`framing: ${(err as Error).message}`);
        socket.destroy();
      }
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      this.closed = true;
      clearInterval(this.ticker);
      this.apply(this.machine.next(this.state, { kind: 'transportClosed' }, Date.now()));
      this.emit('closed');
    });
    this.ticker = setInterval(() => this.apply(this.machine.next(this.state, { kind: 'tick' }, Date.now())), 200);
    this.ticker.unref();
  }

  get phase(): SessionState['phase'] {
    return this.state.phase;
  }

  /** Sends a gateway message through the session machine (which numbers and checks it). */
  send(message: OutgoingMessage): void {
    this.apply(this.machine.next(this.state, { kind: 'send', message }, Date.now()));
  }

  deploy(body: DeployBody, servedModule?: Uint8Array): void {
    if (servedModule) this.modules.set(moduleKey(body.appId, body.revision), servedModule);
    this.send({ type: 'Deploy', body });
  }

  stop(appId: string): void {
    this.send({ type: 'Stop', body: { appId } });
  }

  /** Cuts the connection without a goodbye (a gateway crash, a network failure). */
  drop(): void {
    this.socket.destroy();
  }

  /** The first received message (including ones already received) of this type that satisfies `match`. */
  waitFor<T extends DeviceMessageType>(type: T, match: (m: MessageOf<T>) => boolean = () => true): Promise<MessageOf<T>> {
    const hit = (m: DeviceMessage): boolean => m.type === type && match(m as unknown as MessageOf<T>);
    const earlier = this.received.find(hit);
    if (earlier) return Promise.resolve(earlier as unknown as MessageOf<T>);
    return new Promise((resolve) => {
      const onMessage = (m: DeviceMessage): void => {
        if (!hit(m)) return;
        this.off('message', onMessage);
        resolve(m as unknown as MessageOf<T>);
      };
      this.on('message', onMessage);
    });
  }

  private onFrame(payload: Uint8Array): void {
    let event;
    try {
      event = { kind: 'received' as const, message: decodeMessage(payload) };
    } catch (err) {
      if (!(err instanceof ProtocolError)) throw err;
      event = { kind: 'undecodable' as const, error: err };
    }
    this.apply(this.machine.next(this.state, event, Date.now()));
  }

  private apply(transition: Transition): void {
    this.state = transition.state;
    for (const action of transition.actions) this.perform(action);
  }

  private perform(action: SessionAction): void {
    switch (action.kind) {
      case 'send':
        if (action.message.type === 'Error' && action.message.body.fatal) {
          this.violations.push(`${action.message.body.code}: ${action.message.body.message}`);
        }
        if (!this.socket.destroyed) this.socket.write(action.frame);
        return;
      case 'close':
        this.socket.end();
        return;
      case 'deliver':
        this.received.push(action.message);
        this.emit('message', action.message);
        this.react(action.message);
    }
  }

  /** The scripted part: answer Hello, serve modules. Everything else is up to the test. */
  private react(message: DeviceMessage): void {
    if (message.type === 'Hello') {
      this.hello = message.body;
      const answer = this.options.answerHello?.(message.body, this) ?? { kind: 'welcome' };
      this.answerHello(answer);
    } else if (message.type === 'ModuleRequest') {
      if (this.options.beforeChunk && !this.options.beforeChunk(message, this)) return;
      this.serveChunk(message);
    }
  }

  answerHello(answer: HelloAnswer): void {
    switch (answer.kind) {
      case 'welcome':
        return this.send({
          type: 'Welcome',
          body: {
            deviceId: answer.deviceId ?? `dev-${this.identity?.publicKeyHex.slice(0, 12) ?? 'unknown'}`,
            gatewayId: 'scripted-peer',
            heartbeatIntervalMs: answer.heartbeatIntervalMs ?? 1_000,
            serverTimeMs: Date.now(),
          },
        });
      case 'pending':
        return this.send({ type: 'EnrollmentPending', body: { retryAfterMs: answer.retryAfterMs, reason: answer.reason ?? 'awaiting approval' } });
      case 'rejected':
        return this.send({ type: 'Rejected', body: { code: answer.code, reason: answer.reason ?? 'refused by test peer' } });
      case 'silent':
        return;
    }
  }

  private serveChunk(request: MessageOf<'ModuleRequest'>): void {
    const { appId, revision, offset, maxBytes } = request.body;
    const module = this.modules.get(moduleKey(appId, revision));
    const totalBytes = this.state.transfer?.totalBytes;
    if (!module || totalBytes === undefined) {
      this.send({ type: 'Error', body: { code: 'transfer_failed', message: `no module for ${appId}@${revision}`, fatal: false }, correlationId: request.msgId });
      return;
    }
    const limit = Math.min(maxBytes, maxChunkDataBytes(this.hello?.maxFrameBytes ?? 4096), this.options.chunkBytes ?? Infinity);
    // Served bytes may be longer or shorter than the manifest says (tampering tests); totalBytes is always the manifest's.
    const data = module.subarray(offset, Math.min(offset + limit, totalBytes));
    this.send({ type: 'ModuleChunk', body: { appId, revision, offset, data, totalBytes } });
  }
}
