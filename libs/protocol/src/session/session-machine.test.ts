import { ProtocolError, SessionViolationError } from '../errors';
import { encodeManifest } from '../manifest/manifest';
import { decodeGatewayMessage } from '../messages/codec';
import type { MessageBodies } from '../messages/catalog';
import type { DeviceMessageType, GatewayMessage, Message } from '../messages/types';
import { PUBLISHER_KEY, SAMPLE_HELLO_BODY, SAMPLE_MANIFEST, SAMPLE_MANIFEST_BYTES, SAMPLE_MODULE, SAMPLE_SIGNATURE } from '../vectors/samples';
import { emit } from './emit';
import { MessageIdTracker } from './message-ids';
import { SessionStateMachine } from './session-machine';
import type { OutgoingMessage, SessionAction, SessionState } from './session-types';

const machine = new SessionStateMachine({ helloTimeoutMs: 10_000, pendingHoldMs: 60_000, heartbeatMisses: 3 });
const INTERVAL = 10_000;
const TOTAL = SAMPLE_MODULE.length;

/** Drives one session from the gateway's side, with a device that numbers its messages. */
class Session {
  state: SessionState;
  now = 0;
  private deviceMsgId = 0;

  constructor() {
    this.state = machine.initial(this.now);
  }

  fromDevice<T extends DeviceMessageType>(type: T, body: MessageBodies[T], msgId = ++this.deviceMsgId): SessionAction[] {
    return this.apply({ kind: 'received', message: { type, msgId, correlationId: 0, body } as Message });
  }

  undecodable(error: ProtocolError): SessionAction[] {
    if (error.info.msgId !== undefined) this.deviceMsgId = error.info.msgId;
    return this.apply({ kind: 'undecodable', error });
  }

  send(message: OutgoingMessage): GatewayMessage {
    const actions = this.apply({ kind: 'send', message });
    const sent = actions.find((a) => a.kind === 'send');
    if (sent?.kind !== 'send') throw new Error('nothing sent');
    // The frame carries exactly the message, as a device would decode it.
    expect(decodeGatewayMessage(sent.frame.subarray(4))).toEqual(sent.message);
    return sent.message;
  }

  tick(nowMs: number): SessionAction[] {
    this.now = nowMs;
    return this.apply({ kind: 'tick' });
  }

  apply(event: Parameters<SessionStateMachine['next']>[1]): SessionAction[] {
    const { state, actions } = machine.next(this.state, event, this.now);
    this.state = state;
    return [...actions];
  }

  established(): this {
    this.fromDevice('Hello', SAMPLE_HELLO_BODY);
    this.send({ type: 'Welcome', body: { deviceId: 'dev-1', gatewayId: 'gw-1', heartbeatIntervalMs: INTERVAL, serverTimeMs: 1 } });
    return this;
  }

  deploying(): this {
    this.established();
    this.send({ type: 'Deploy', body: deployBody() });
    return this;
  }
}

function deployBody(manifest = SAMPLE_MANIFEST_BYTES): MessageBodies['Deploy'] {
  return { appId: 'blinky', revision: 3, manifest, signature: SAMPLE_SIGNATURE, publisherKey: PUBLISHER_KEY };
}

const request = (offset: number, maxBytes = 16) => ({ appId: 'blinky', revision: 3, offset, maxBytes });
const chunk = (offset: number, length: number) => ({
  appId: 'blinky',
  revision: 3,
  offset,
  data: SAMPLE_MODULE.subarray(offset, offset + length),
  totalBytes: TOTAL,
});

/** The Error a transition sent, if any, and whether it closed. */
function outcome(actions: SessionAction[]) {
  const sent = actions.find((a) => a.kind === 'send');
  const error = sent?.kind === 'send' && sent.message.type === 'Error' ? sent.message : undefined;
  return {
    error: error && { code: error.body.code, fatal: error.body.fatal, correlationId: error.correlationId },
    closed: actions.some((a) => a.kind === 'close'),
  };
}

const kinds = (actions: SessionAction[]) => actions.map((a) => (a.kind === 'close' ? `close:${a.reason}` : `${a.kind}:${a.message.type}`));

describe('SessionStateMachine: enrollment', () => {
  it('delivers Hello, then establishes the session with Welcome answering it', () => {
    const s = new Session();
    expect(s.state).toMatchObject({ phase: 'AwaitingHello', deadlineMs: 10_000 });
    expect(kinds(s.fromDevice('Hello', SAMPLE_HELLO_BODY))).toEqual(['deliver:Hello']);
    expect(s.state).toMatchObject({ phase: 'Enrolling', deadlineMs: null, hello: { msgId: 1, body: SAMPLE_HELLO_BODY } });
    s.now = 500;
    const welcome = s.send({ type: 'Welcome', body: { deviceId: 'dev-1', gatewayId: 'gw-1', heartbeatIntervalMs: INTERVAL, serverTimeMs: 500 } });
    expect(welcome).toMatchObject({ msgId: 1, correlationId: 1 });
    expect(s.state).toMatchObject({ phase: 'Established', heartbeatIntervalMs: INTERVAL, deadlineMs: 500 + 3 * INTERVAL });
  });

  it('holds a pending device, promotes it when approved, or says Bye when the hold ends', () => {
    const approved = new Session();
    approved.fromDevice('Hello', SAMPLE_HELLO_BODY);
    expect(approved.send({ type: 'EnrollmentPending', body: { retryAfterMs: 30_000, reason: 'awaiting approval' } }).correlationId).toBe(1);
    expect(approved.state).toMatchObject({ phase: 'Pending', deadlineMs: 60_000 });
    expect(approved.tick(59_999)).toEqual([]);
    approved.send({ type: 'Welcome', body: { deviceId: 'dev-1', gatewayId: 'gw-1', heartbeatIntervalMs: INTERVAL, serverTimeMs: 1 } });
    expect(approved.state.phase).toBe('Established');

    const waiting = new Session();
    waiting.fromDevice('Hello', SAMPLE_HELLO_BODY);
    waiting.send({ type: 'EnrollmentPending', body: { retryAfterMs: 30_000, reason: '' } });
    const actions = waiting.tick(60_000);
    expect(kinds(actions)).toEqual(['send:Bye', 'close:bye']);
    expect(actions[0]).toMatchObject({ message: { body: { reason: 'pending_timeout' } } });
    expect(waiting.state.phase).toBe('Closed');
  });

  it('closes after Rejected', () => {
    const s = new Session();
    s.fromDevice('Hello', SAMPLE_HELLO_BODY);
    const actions = s.apply({ kind: 'send', message: { type: 'Rejected', body: { reason: 'revoked', code: 'revoked' } } });
    expect(kinds(actions)).toEqual(['send:Rejected', 'close:rejected']);
    expect(s.state.phase).toBe('Closed');
  });

  it('times out without Hello', () => {
    const s = new Session();
    expect(s.tick(9_999)).toEqual([]);
    expect(outcome(s.tick(10_000))).toEqual({ error: { code: 'timeout', fatal: true, correlationId: 0 }, closed: true });
  });

  it('refuses anything but Hello first, and any device message while enrolling', () => {
    const early = new Session();
    expect(outcome(early.fromDevice('Heartbeat', { seq: 1, uptimeMs: 0, freeMemoryBytes: 0, apps: [] }))).toEqual({
      error: { code: 'unexpected_message', fatal: true, correlationId: 1 },
      closed: true,
    });

    const enrolling = new Session();
    enrolling.fromDevice('Hello', SAMPLE_HELLO_BODY);
    expect(outcome(enrolling.fromDevice('Hello', SAMPLE_HELLO_BODY))).toMatchObject({ error: { code: 'unexpected_message', fatal: true }, closed: true });
  });

  it('treats a second Hello in an established session as fatal', () => {
    const s = new Session().established();
    expect(outcome(s.fromDevice('Hello', SAMPLE_HELLO_BODY))).toMatchObject({ error: { code: 'unexpected_message', fatal: true }, closed: true });
  });

  it('treats a gateway-only message from the device as fatal', () => {
    const s = new Session().established();
    const actions = s.apply({ kind: 'received', message: { type: 'Stop', msgId: 2, correlationId: 0, body: { appId: 'a' } } });
    expect(outcome(actions)).toMatchObject({ error: { code: 'unexpected_message', fatal: true, correlationId: 2 }, closed: true });
  });
});

describe('SessionStateMachine: message ids', () => {
  it('closes on a replayed or skipped msgId', () => {
    const replay = new Session().established();
    expect(outcome(replay.fromDevice('AppLog', { appId: 'a', level: 'info', message: '', timeMs: 0 }, 1))).toEqual({
      error: { code: 'replayed_message', fatal: true, correlationId: 1 },
      closed: true,
    });
    const skip = new Session().established();
    expect(outcome(skip.fromDevice('AppLog', { appId: 'a', level: 'info', message: '', timeMs: 0 }, 3)).error?.code).toBe('replayed_message');
  });

  it('numbers gateway messages 1, 2, 3, …', () => {
    const s = new Session().established();
    s.fromDevice('Heartbeat', { seq: 1, uptimeMs: 0, freeMemoryBytes: 0, apps: [] });
    expect(s.send({ type: 'Stop', body: { appId: 'a' } }).msgId).toBe(3);
    expect(s.state.lastSentMsgId).toBe(3);
  });

  it('MessageIdTracker accepts 1, 2, 3 and nothing else', () => {
    const tracker = new MessageIdTracker();
    tracker.accept(1);
    tracker.accept(2);
    expect(() => tracker.accept(2)).toThrow(expect.objectContaining({ protocolCode: 'replayed_message', fatal: true }));
    expect(() => tracker.accept(4)).toThrow(/expected 3/);
    tracker.accept(3);
    expect(tracker.lastAccepted).toBe(3);
  });
});

describe('SessionStateMachine: heartbeats and errors', () => {
  it('acknowledges each Heartbeat and pushes the deadline out', () => {
    const s = new Session().established();
    s.now = 25_000;
    const actions = s.fromDevice('Heartbeat', { seq: 7, uptimeMs: 1, freeMemoryBytes: 2, apps: [] });
    expect(kinds(actions)).toEqual(['send:HeartbeatAck', 'deliver:Heartbeat']);
    expect(actions[0]).toMatchObject({ message: { correlationId: 2, body: { seq: 7, serverTimeMs: 25_000 } } });
    expect(s.state.deadlineMs).toBe(25_000 + 3 * INTERVAL);
    expect(s.tick(54_999)).toEqual([]);
    expect(outcome(s.tick(55_000))).toMatchObject({ error: { code: 'timeout', fatal: true }, closed: true });
  });

  it('answers an unknown type without closing, and counts its msgId', () => {
    const s = new Session().established();
    const unknown = new ProtocolError('unknown_type', 'message type 99 is unknown', { msgId: 2, typeCode: 99 });
    expect(outcome(s.undecodable(unknown))).toEqual({ error: { code: 'unknown_type', fatal: false, correlationId: 2 }, closed: false });
    expect(s.state.lastReceivedMsgId).toBe(2);
    expect(kinds(s.fromDevice('AppLog', { appId: 'a', level: 'info', message: '', timeMs: 0 }))).toEqual(['deliver:AppLog']);
  });

  it('treats an unknown type before the session is established as fatal', () => {
    const s = new Session();
    expect(outcome(s.undecodable(new ProtocolError('unknown_type', 'x', { msgId: 1 })))).toMatchObject({ error: { fatal: true }, closed: true });
  });

  it('closes on undecodable input, answering the msgId when known', () => {
    const s = new Session().established();
    const err = new ProtocolError('invalid_message', 'x'.repeat(400), { msgId: 2, path: 'body.seq' });
    const actions = s.undecodable(err);
    expect(outcome(actions)).toEqual({ error: { code: 'invalid_message', fatal: true, correlationId: 2 }, closed: true });
    const sent = actions[0];
    expect(sent.kind === 'send' && sent.message.type === 'Error' && Buffer.byteLength(sent.message.body.message)).toBeLessThanOrEqual(256);
    expect(outcome(new Session().undecodable(new ProtocolError('invalid_cbor', 'bad')))).toMatchObject({ error: { correlationId: 0 }, closed: true });
  });

  it('tells a device speaking another version which versions it speaks', () => {
    const [sent] = new Session().undecodable(new ProtocolError('unsupported_version', 'version 2'));
    expect(sent).toMatchObject({ kind: 'send', message: { type: 'Error', body: { code: 'unsupported_version', fatal: true, supportedVersions: [1] } } });
  });

  it('delivers the device Errors, closing on fatal ones', () => {
    const s = new Session().established();
    expect(kinds(s.fromDevice('Error', { code: 'internal', message: 'oops', fatal: false }))).toEqual(['deliver:Error']);
    expect(kinds(s.fromDevice('Error', { code: 'internal', message: 'dying', fatal: true }))).toEqual(['deliver:Error', 'close:peer_error']);
    expect(s.state.phase).toBe('Closed');
  });

  it('closes after the gateway says Bye or sends a fatal Error', () => {
    const bye = new Session().established();
    expect(kinds(bye.apply({ kind: 'send', message: { type: 'Bye', body: { reason: 'revoked' } } }))).toEqual(['send:Bye', 'close:bye']);
    const error = new Session().established();
    const actions = error.apply({ kind: 'send', message: { type: 'Error', body: { code: 'internal', message: '', fatal: true } } });
    expect(kinds(actions)).toEqual(['send:Error', 'close:peer_error']);
  });

  it('ignores everything once closed, except that sending is a violation', () => {
    const s = new Session();
    s.apply({ kind: 'transportClosed' });
    expect(s.state.phase).toBe('Closed');
    expect(s.fromDevice('Hello', SAMPLE_HELLO_BODY)).toEqual([]);
    expect(s.tick(1e9)).toEqual([]);
    expect(() => s.send({ type: 'Bye', body: { reason: 'shutdown' } })).toThrow(SessionViolationError);
  });
});

describe('SessionStateMachine: deployment', () => {
  it('serves a pulled transfer chunk by chunk, then takes the result', () => {
    const s = new Session().deploying();
    expect(s.state.transfer).toMatchObject({ appId: 'blinky', revision: 3, deployMsgId: 2, totalBytes: TOTAL, request: null });

    expect(kinds(s.fromDevice('ModuleRequest', request(0)))).toEqual(['deliver:ModuleRequest']);
    expect(s.state.transfer?.request).toEqual({ msgId: 2, offset: 0, maxBytes: 16 });
    expect(s.send({ type: 'ModuleChunk', body: chunk(0, 16) }).correlationId).toBe(2);

    s.fromDevice('ModuleRequest', request(16, 3960));
    s.send({ type: 'ModuleChunk', body: chunk(16, TOTAL - 16) });
    expect(s.state.transfer?.request).toBeNull();

    s.fromDevice('DeployResult', { appId: 'blinky', revision: 3, ok: true, sha256: SAMPLE_MANIFEST.sha256 });
    expect(s.state.transfer).toBeNull();
    s.send({ type: 'Deploy', body: deployBody() });
  });

  it('resumes from an offset in a new session', () => {
    const first = new Session().deploying();
    first.fromDevice('ModuleRequest', request(0));
    first.send({ type: 'ModuleChunk', body: chunk(0, 16) });
    first.apply({ kind: 'transportClosed' });

    const second = new Session().deploying();
    expect(kinds(second.fromDevice('ModuleRequest', request(16)))).toEqual(['deliver:ModuleRequest']);
    second.send({ type: 'ModuleChunk', body: chunk(16, 16) });
  });

  it('answers requests that match no transfer with a non-fatal Error', () => {
    const none = new Session().established();
    expect(outcome(none.fromDevice('ModuleRequest', request(0)))).toEqual({
      error: { code: 'unexpected_message', fatal: false, correlationId: 2 },
      closed: false,
    });

    const s = new Session().deploying();
    expect(outcome(s.fromDevice('ModuleRequest', { ...request(0), revision: 2 })).error?.fatal).toBe(false);
    expect(outcome(s.fromDevice('ModuleRequest', request(TOTAL))).error?.code).toBe('unexpected_message');
    s.fromDevice('ModuleRequest', request(0));
    expect(outcome(s.fromDevice('ModuleRequest', request(16))).error).toMatchObject({ code: 'unexpected_message', fatal: false });
    expect(s.state.transfer?.request?.offset).toBe(0);
  });

  it('lets the gateway answer a request with an Error instead of a chunk', () => {
    const s = new Session().deploying();
    s.fromDevice('ModuleRequest', request(0));
    s.send({ type: 'Error', correlationId: 2, body: { code: 'internal', message: 'module store unavailable', fatal: false } });
    expect(s.state.transfer?.request).toBeNull();
  });

  it('cancels the transfer on Stop, and still delivers a result that crossed it', () => {
    const s = new Session().deploying();
    s.send({ type: 'Stop', body: { appId: 'blinky' } });
    expect(s.state.transfer).toBeNull();
    expect(outcome(s.fromDevice('ModuleRequest', request(0))).error?.fatal).toBe(false);
    expect(kinds(s.fromDevice('DeployResult', { appId: 'blinky', revision: 3, ok: false, error: { code: 'internal', message: '' } }))).toEqual([
      'deliver:DeployResult',
    ]);
    expect(kinds(s.fromDevice('StopResult', { appId: 'blinky', ok: true }))).toEqual(['deliver:StopResult']);
  });

  it('keeps the transfer when another app is stopped', () => {
    const s = new Session().deploying();
    s.send({ type: 'Stop', body: { appId: 'other' } });
    expect(s.state.transfer?.appId).toBe('blinky');
  });
});

describe('SessionStateMachine: gateway violations', () => {
  const violation = (fn: () => unknown, pattern: RegExp) => expect(fn).toThrow(expect.objectContaining({ name: 'SessionViolationError', message: expect.stringMatching(pattern) }));

  it('allows each message only in its phase', () => {
    const fresh = new Session();
    violation(() => fresh.send({ type: 'Welcome', body: { deviceId: 'd', gatewayId: 'g', heartbeatIntervalMs: INTERVAL, serverTimeMs: 0 } }), /only allowed in Enrolling or Pending/);
    violation(() => fresh.send({ type: 'Deploy', body: deployBody() }), /only allowed in Established/);
    const established = new Session().established();
    violation(() => established.send({ type: 'EnrollmentPending', body: { retryAfterMs: 1000, reason: '' } }), /only allowed in Enrolling/);
    violation(() => established.send({ type: 'Rejected', body: { reason: '', code: 'denied' } }), /only allowed in Enrolling or Pending/);
  });

  it('fixes the correlationId of replies', () => {
    const s = new Session();
    s.fromDevice('Hello', SAMPLE_HELLO_BODY);
    violation(
      () => s.send({ type: 'Welcome', correlationId: 9, body: { deviceId: 'd', gatewayId: 'g', heartbeatIntervalMs: INTERVAL, serverTimeMs: 0 } }),
      /correlationId must be 1/,
    );
  });

  it('allows one transfer at a time, with a manifest that decodes and matches', () => {
    const s = new Session().deploying();
    violation(() => s.send({ type: 'Deploy', body: deployBody() }), /still in progress/);
    const other = new Session().established();
    violation(() => other.send({ type: 'Deploy', body: { ...deployBody(), revision: 4 } }), /manifest revision 3 differs from 4/);
    violation(() => other.send({ type: 'Deploy', body: deployBody(SAMPLE_MANIFEST_BYTES.subarray(1)) }), /manifest is invalid/);
    other.send({ type: 'Deploy', body: { ...deployBody(encodeManifest({ ...SAMPLE_MANIFEST, revision: 4 })), revision: 4 } });
  });

  it('sends only the chunk that was asked for', () => {
    const s = new Session().deploying();
    violation(() => s.send({ type: 'ModuleChunk', body: chunk(0, 16) }), /no ModuleRequest is outstanding/);
    s.fromDevice('ModuleRequest', request(0, 8));
    violation(() => s.send({ type: 'ModuleChunk', body: chunk(1, 8) }), /offset must be the requested 0/);
    violation(() => s.send({ type: 'ModuleChunk', body: chunk(0, 9) }), /exceeds 8/);
    violation(() => s.send({ type: 'ModuleChunk', body: { ...chunk(0, 8), totalBytes: 40 } }), /totalBytes must be/);
    violation(() => s.send({ type: 'ModuleChunk', body: { ...chunk(0, 8), appId: 'other' } }), /the transfer is blinky/);
    violation(() => s.send({ type: 'ModuleChunk', correlationId: 1, body: chunk(0, 8) }), /correlationId must be 2/);
    s.send({ type: 'ModuleChunk', body: chunk(0, 8) });
  });

  it('never sends an invalid body, nor a frame over the device limit', () => {
    const s = new Session().established();
    violation(() => s.send({ type: 'Bye', body: { reason: 'Not A Code' } }), /body.reason/);
    // Valid v1 bodies always fit 4 KiB; the check guards against that changing.
    const tiny = { ...s.state, hello: { msgId: 1, body: { ...SAMPLE_HELLO_BODY, maxFrameBytes: 40 } } };
    violation(() => emit(tiny, 'Bye', { reason: 'a'.repeat(32) }, 0), /exceed the device's limit of 40/);
    expect(emit(tiny, 'Bye', { reason: 'a'.repeat(8) }, 0).action.kind).toBe('send');
  });
});
