// The C device agent (firmware/core/agent) against the reference implementation:
// build/host/agent_stdio runs the agent over stdin/stdout, and this test plays the
// gateway with @wasmbed/protocol — its codec and the gateway's SessionStateMachine,
// which checks every device message (msgIds, phases, transfers) and acknowledges
// heartbeats. The modules are the real example apps, the manifests signed here.
import { execFile, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { inspectModule, loadExampleApp, requiredHostFunctions } from '@wasmbed/example-apps';
import {
  FrameDecoder,
  ProtocolError,
  SessionStateMachine,
  decodeMessage,
  ed25519PrivateKeyFromSeed,
  encodeManifest,
  manifestFromSource,
  moduleSha256,
  rawEd25519PublicKey,
  signManifest,
  type DeviceMessage,
  type GatewayMessage,
  type MessageOf,
  type OutgoingMessage,
  type SessionEvent,
  type SessionState,
} from '@wasmbed/protocol';

const run = promisify(execFile);
/** What a device sends on its own while a test waits for something else. */
const PERIODIC = new Set<DeviceMessage['type']>(['Heartbeat', 'AppLog']);
const FIRMWARE = join(__dirname, '..');
const AGENT = join(FIRMWARE, 'build/host/agent_stdio');

interface AgentEvent {
  readonly event: 'start' | 'stop' | 'closed';
  readonly [key: string]: unknown;
}

/** One agent process = one device connection; this object is its gateway. */
class GatewaySide {
  readonly delivered: DeviceMessage[] = [];
  readonly sent: GatewayMessage[] = [];
  readonly events: AgentEvent[] = [];
  closeReason?: string;
  readonly exited: Promise<number | null>;
  private readonly machine = new SessionStateMachine();
  private state: SessionState;
  private readonly decoder = new FrameDecoder();
  private cursor = 0;
  private stderr = '';

  constructor(private readonly child: ChildProcessWithoutNullStreams) {
    this.state = this.machine.initial(Date.now());
    child.stdout.on('data', (chunk: Buffer) => this.decoder.push(chunk, (payload) => this.onPayload(payload)));
    child.stderr.on('data', (chunk: Buffer) => {
      this.stderr += chunk.toString('utf8');
      let newline: number;
      while ((newline = this.stderr.indexOf('\n')) >= 0) {
        const line = this.stderr.slice(0, newline);
        this.stderr = this.stderr.slice(newline + 1);
        this.events.push(JSON.parse(line) as AgentEvent);
      }
    });
    this.exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
  }

  static start(...args: string[]): GatewaySide {
    return new GatewaySide(spawn(AGENT, args, { stdio: ['pipe', 'pipe', 'pipe'] }));
  }

  send(message: OutgoingMessage): GatewayMessage {
    this.apply({ kind: 'send', message });
    return this.sent[this.sent.length - 1];
  }

  /** Bytes the session machine would never produce. */
  writeRaw(bytes: Uint8Array): void {
    this.child.stdin.write(bytes);
  }

  /** The next device message the session machine delivered. */
  async take(timeoutMs = 10_000): Promise<DeviceMessage> {
    await waitFor(() => this.cursor < this.delivered.length, timeoutMs, 'a device message');
    return this.delivered[this.cursor++];
  }

  /** The next device message, which must be of this type. */
  async next<T extends DeviceMessage['type']>(type: T, timeoutMs = 10_000): Promise<MessageOf<T>> {
    const message = await this.take(timeoutMs);
    if (message.type !== type) throw new Error(`expected ${type}, got ${message.type} ${JSON.stringify(message.body)}`);
    return message as MessageOf<T>;
  }

  /** The next device message of this type; heartbeats and logs before it are passed over. */
  async nextOf<T extends DeviceMessage['type']>(type: T): Promise<MessageOf<T>> {
    for (;;) {
      const message = await this.take();
      if (message.type === type) return message as MessageOf<T>;
      if (!PERIODIC.has(message.type)) throw new Error(`expected ${type}, got ${message.type} ${JSON.stringify(message.body)}`);
    }
  }

  async event(name: AgentEvent['event']): Promise<AgentEvent> {
    await waitFor(() => this.events.some((e) => e.event === name), 10_000, `agent event ${name}`);
    return this.events.find((e) => e.event === name)!;
  }

  /** Answers ModuleRequests from `module` (at most `chunk` bytes each, `tamper` flips one byte) until another message comes. */
  async serve(module: Uint8Array, chunk: number, tamper?: number): Promise<void> {
    for (;;) {
      await waitFor(() => this.cursor < this.delivered.length, 10_000, 'ModuleRequest or result');
      const message = this.delivered[this.cursor];
      if (PERIODIC.has(message.type)) {
        this.cursor++;
        continue;
      }
      if (message.type !== 'ModuleRequest') return;
      this.cursor++;
      const { appId, revision, offset, maxBytes } = message.body;
      const data = Uint8Array.from(module.subarray(offset, offset + Math.min(maxBytes, chunk)));
      if (tamper !== undefined && tamper >= offset && tamper < offset + data.length) data[tamper - offset] ^= 0x01;
      this.send({ type: 'ModuleChunk', body: { appId, revision, offset, data, totalBytes: module.length } });
    }
  }

  stop(): void {
    this.child.stdin.end();
  }

  private onPayload(payload: Uint8Array): void {
    let event: SessionEvent;
    try {
      event = { kind: 'received', message: decodeMessage(payload) };
    } catch (err) {
      if (!(err instanceof ProtocolError)) throw err;
      event = { kind: 'undecodable', error: err };
    }
    this.apply(event);
  }

  private apply(event: SessionEvent): void {
    const transition = this.machine.next(this.state, event, Date.now());
    this.state = transition.state;
    for (const action of transition.actions) {
      if (action.kind === 'send') {
        this.sent.push(action.message);
        this.child.stdin.write(action.frame);
      } else if (action.kind === 'deliver') {
        this.delivered.push(action.message);
      } else {
        this.closeReason = action.reason;
        this.child.stdin.end();
      }
    }
  }
}

async function waitFor(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const publisherSeed = createHash('sha256').update('agent.int.test publisher').digest();
const publisherKey = rawEd25519PublicKey(ed25519PrivateKeyFromSeed(publisherSeed));

function signedDeploy(module: Uint8Array, appId: string, revision: number): OutgoingMessage {
  const manifest = encodeManifest(
    manifestFromSource({
      name: appId,
      revision,
      module: { sha256: Buffer.from(moduleSha256(module)).toString('hex'), sizeBytes: module.length },
      entryPoint: 'run',
      requiredHostFunctions: requiredHostFunctions(inspectModule(module)),
      config: { memoryLimitBytes: 65536, cpuTimeLimitMs: 0, env: { greeting: 'hi' }, args: [], autoRestart: false, maxRestarts: 0 },
    }),
  );
  return {
    type: 'Deploy',
    body: { appId, revision, manifest, signature: signManifest(manifest, publisherSeed), publisherKey },
  };
}

async function welcome(gw: GatewaySide, heartbeatIntervalMs: number): Promise<MessageOf<'Hello'>> {
  const hello = await gw.next('Hello');
  gw.send({ type: 'Welcome', body: { deviceId: 'dev-c', gatewayId: 'gw-a', heartbeatIntervalMs, serverTimeMs: Date.now() } });
  return hello;
}

/** The gateway's session machine never had to tell the device off. */
function noViolations(gw: GatewaySide): void {
  expect(gw.sent.filter((m) => m.type === 'Error')).toEqual([]);
}

let hello: Uint8Array;

beforeAll(async () => {
  await run('make', ['-C', FIRMWARE, 'build/host/agent_stdio'], { maxBuffer: 16 * 1024 * 1024, timeout: 300_000 });
  hello = loadExampleApp('hello');
}, 320_000);

test('enrolls, heartbeats, installs hello.wasm, stops it and follows a redirect', async () => {
  const gw = GatewaySide.start('--redirect');
  try {
    const helloMessage = await welcome(gw, 1000);
    expect(helloMessage.msgId).toBe(1);
    expect(helloMessage.body).toMatchObject({ maxFrameBytes: 4096, features: ['redirect'], apps: [] });
    expect(helloMessage.body.runtime.hostFunctions).toHaveLength(6);

    const first = await gw.next('Heartbeat', 3000);
    const second = await gw.next('Heartbeat', 3000);
    expect([first.body.seq, second.body.seq]).toEqual([1, 2]);
    // Heartbeats keep the rhythm set at Welcome (a late one does not push the next), and each
    // leaves at the first poll after it is due: on a loaded host the gap is the interval ± that lag.
    expect(second.body.uptimeMs - first.body.uptimeMs).toBeGreaterThan(500);
    expect(second.body.uptimeMs - first.body.uptimeMs).toBeLessThan(1500);

    const deploy = gw.send(signedDeploy(hello, 'hello', 1));
    // Fewer bytes per chunk than asked for: the device keeps asking from where it is.
    await gw.serve(hello, 300);
    const sha256 = Buffer.from(moduleSha256(hello)).toString('hex');
    const start = await gw.event('start');
    expect(start).toMatchObject({ appId: 'hello', revision: 1, sha256, moduleBytes: hello.length });
    const statuses: string[] = [];
    let result: MessageOf<'DeployResult'> | undefined;
    while (!result) {
      const next = await gw.take();
      if (next.type === 'AppStatus') statuses.push(next.body.state);
      else if (next.type === 'DeployResult') result = next;
      else if (next.type !== 'Heartbeat' && next.type !== 'AppLog') throw new Error(`unexpected ${next.type}`);
    }
    expect(statuses).toEqual(['starting', 'running']);
    expect(result.correlationId).toBe(deploy.msgId);
    expect(result.body.ok).toBe(true);
    expect(Buffer.from(result.body.sha256!).toString('hex')).toBe(sha256);

    const log = await gw.nextOf('AppLog');
    expect(log.body).toMatchObject({ appId: 'hello', level: 'info', message: 'hello from the stand-in runtime' });
    const heartbeat = await gw.nextOf('Heartbeat');
    expect(heartbeat.body.apps).toEqual([expect.objectContaining({ appId: 'hello', revision: 1, state: 'running', restarts: 0 })]);
    expect(Buffer.from(heartbeat.body.apps[0].sha256).toString('hex')).toBe(sha256);

    const stop = gw.send({ type: 'Stop', body: { appId: 'hello' } });
    const stopResult = await gw.nextOf('StopResult');
    expect(stopResult).toMatchObject({ correlationId: stop.msgId, body: { appId: 'hello', ok: true } });
    expect((await gw.nextOf('AppStatus')).body.state).toBe('stopped');
    expect((await gw.event('stop')).runId).toBe(start.runId);

    gw.send({ type: 'Bye', body: { reason: 'rebalance', endpoint: 'gw-b.example.net:4423' } });
    expect(await gw.exited).toBe(0);
    expect(await gw.event('closed')).toMatchObject({ kind: 'bye', code: 'rebalance', delayMs: 0, endpoint: 'gw-b.example.net:4423' });
    noViolations(gw);
  } finally {
    gw.stop();
  }
}, 60_000);

test("refuses bad signatures, tampered and oversized modules with the protocol's DeployResult codes", async () => {
  const gw = GatewaySide.start('--max-module-bytes', '1000');
  try {
    await welcome(gw, 600_000);
    const refused = async (deploy: OutgoingMessage, code: string): Promise<void> => {
      const sent = gw.send(deploy);
      const result = await gw.nextOf('DeployResult');
      expect(result.correlationId).toBe(sent.msgId);
      expect(result.body).toMatchObject({ ok: false, error: { code } });
    };

    const forged = signedDeploy(hello, 'hello', 1);
    if (forged.type !== 'Deploy') throw new Error('not a Deploy');
    const signature = Uint8Array.from(forged.body.signature);
    signature[0] ^= 0x80;
    await refused({ ...forged, body: { ...forged.body, signature } }, 'bad_signature');

    await refused(signedDeploy(loadExampleApp('hello-c'), 'hello-c', 1), 'module_too_large');

    gw.send(signedDeploy(hello, 'hello', 2));
    await gw.serve(hello, 4096, 123);
    expect((await gw.nextOf('DeployResult')).body).toMatchObject({ ok: false, error: { code: 'bad_hash' } });
    expect(gw.events.filter((e) => e.event === 'start')).toEqual([]);
    noViolations(gw);

    gw.stop();
    expect(await gw.exited).toBe(0);
    expect(await gw.event('closed')).toMatchObject({ kind: 'transport' });
  } finally {
    gw.stop();
  }
}, 60_000);

test('answers a malformed frame with a fatal Error and closes', async () => {
  const gw = GatewaySide.start();
  try {
    await welcome(gw, 600_000);
    gw.writeRaw(new Uint8Array([0, 0, 0, 0]));
    const error = await gw.nextOf('Error');
    expect(error.body).toMatchObject({ code: 'malformed_frame', fatal: true });
    expect(gw.closeReason).toBe('peer_error');
    expect(await gw.exited).toBe(0);
    expect(await gw.event('closed')).toMatchObject({ kind: 'protocol_error', code: 'malformed_frame' });
  } finally {
    gw.stop();
  }
}, 60_000);
