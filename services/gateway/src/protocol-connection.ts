import type { Socket } from 'node:net';
import {
  decodeMessage,
  FrameDecoder,
  GATEWAY_MAX_FRAME_BYTES,
  ProtocolError,
  SessionStateMachine,
  type DeviceMessage,
  type HelloBody,
  type OutgoingMessage,
  type SessionEvent,
  type SessionPhase,
  type SessionState,
} from '@wasmbed/protocol';
import type { GatewayMetrics } from './metrics';

export interface ConnectionHooks {
  /** A valid, in-order device message the session logic must act on. */
  onDeliver(message: DeviceMessage): void;
  /** The session deadline moved (null = none): reschedule the sweeper. */
  onDeadline(deadlineMs: number | null): void;
  /** Called once, after the socket is gone. */
  onClosed(closed: ClosedInfo): void;
}

export interface ClosedInfo {
  /** Why: the close action's reason, or 'transport_closed' when the device went away. */
  readonly reason: string;
  /** The phase the session was in when it closed (Established for a heartbeat timeout). */
  readonly phase: SessionPhase;
}

// How long a closing socket may take to flush its last frames before it is destroyed.
const CLOSE_FLUSH_MS = 2_000;

/**
 * One device connection: bytes → frames (the 64 KiB limit is checked on the length
 * prefix, before buffering) → messages → the protocol's session state machine,
 * whose actions (send, deliver, close) are carried out here. Every protocol
 * violation is turned into an Error frame by the machine; nothing a device sends
 * can throw out of this class.
 */
export class ProtocolConnection {
  private state: SessionState;
  private readonly decoder = new FrameDecoder({ maxFrameBytes: GATEWAY_MAX_FRAME_BYTES });
  /** Frames to send, gathered while a received chunk is processed (null otherwise). */
  private outbox: Uint8Array[] | null = null;
  private closeReason?: string;
  private phaseAtClose?: SessionPhase;
  private finished = false;

  constructor(
    private readonly socket: Socket,
    private readonly machine: SessionStateMachine,
    private readonly clock: () => number,
    private readonly metrics: GatewayMetrics,
    private readonly hooks: ConnectionHooks,
  ) {
    this.state = machine.initial(clock());
  }

  /** Starts reading; call once the hooks' owner is ready. */
  start(): void {
    this.socket.on('data', (chunk: Buffer) => this.received(chunk));
    this.socket.on('end', () => this.peerEnded());
    this.socket.on('error', () => undefined);
    this.socket.once('close', () => this.transportClosed());
    this.hooks.onDeadline(this.state.deadlineMs);
  }

  get phase(): SessionPhase {
    return this.state.phase;
  }

  get hello(): HelloBody | undefined {
    return this.state.hello?.body;
  }

  get lastSentMsgId(): number {
    return this.state.lastSentMsgId;
  }

  get deviceMaxFrameBytes(): number | undefined {
    return this.state.hello?.body.maxFrameBytes;
  }

  /** Sends a gateway message if the session is still open; false once it is closed. Throws SessionViolationError on misuse. */
  send(message: OutgoingMessage): boolean {
    if (this.state.phase === 'Closed') return false;
    this.apply({ kind: 'send', message });
    return true;
  }

  /** Lets the machine fire an expired deadline (hello, pending hold, heartbeats). */
  tick(): void {
    this.apply({ kind: 'tick' });
  }

  private received(chunk: Buffer): void {
    if (this.state.phase === 'Closed') return;
    // The answers to every frame of this chunk leave as one write of one buffer: cheaper
    // than corking the socket, which queues a write request per frame.
    this.outbox = [];
    try {
      this.decoder.push(chunk, this.onFrame);
    } catch (err) {
      // The decoder failed (frame too large, zero length): its position is lost for good.
      this.apply({ kind: 'undecodable', error: asProtocolError(err) });
    } finally {
      this.flushOutbox();
    }
  }

  /** Writes the frames gathered while a chunk was processed, and stops gathering. */
  private flushOutbox(): void {
    const frames = this.outbox;
    this.outbox = null;
    if (frames === null || frames.length === 0 || !this.socket.writable) return;
    this.socket.write(frames.length === 1 ? frames[0] : Buffer.concat(frames));
  }

  private readonly onFrame = (payload: Uint8Array) => this.frame(payload);

  private frame(payload: Uint8Array): void {
    if (this.state.phase === 'Closed') return;
    this.metrics.countFrame('in');
    let event: SessionEvent;
    try {
      event = { kind: 'received', message: decodeMessage(payload) };
    } catch (err) {
      event = { kind: 'undecodable', error: asProtocolError(err) };
    }
    this.apply(event);
  }

  private peerEnded(): void {
    if (this.state.phase === 'Closed') return;
    try {
      this.decoder.end();
    } catch (err) {
      // Ended inside a frame: say so before closing (the socket is half-open, our side still writes).
      this.apply({ kind: 'undecodable', error: asProtocolError(err) });
      return;
    }
    this.closeSocket('peer_closed', this.state.phase);
  }

  private apply(event: SessionEvent): void {
    const before = this.state.phase;
    const { state, actions } = this.machine.next(this.state, event, this.clock());
    this.state = state;
    for (const action of actions) {
      switch (action.kind) {
        case 'send':
          if (this.outbox !== null) this.outbox.push(action.frame);
          else if (this.socket.writable) this.socket.write(action.frame);
          this.metrics.countFrame('out');
          if (action.message.type === 'Error') this.metrics.protocolErrors.inc({ code: action.message.body.code });
          break;
        case 'deliver':
          this.hooks.onDeliver(action.message);
          break;
        case 'close':
          this.closeSocket(action.reason, before);
          break;
      }
    }
    if (state.phase !== 'Closed') this.hooks.onDeadline(state.deadlineMs);
  }

  private closeSocket(reason: string, phase: SessionPhase): void {
    this.closeReason ??= reason;
    this.phaseAtClose ??= phase;
    if (this.state.phase !== 'Closed') this.state = this.machine.next(this.state, { kind: 'transportClosed' }, this.clock()).state;
    this.hooks.onDeadline(null);
    // The frames answering this chunk (the Error or Bye that closes, above all) go out before the end.
    this.flushOutbox();
    this.socket.end();
    setTimeout(() => this.socket.destroy(), CLOSE_FLUSH_MS).unref();
  }

  /** Closes at once without a message (identity refused before the protocol started). */
  abort(reason: string): void {
    this.closeReason ??= reason;
    this.phaseAtClose ??= this.state.phase;
    this.socket.destroy();
  }

  private transportClosed(): void {
    if (this.finished) return;
    this.finished = true;
    const phase = this.phaseAtClose ?? this.state.phase;
    this.state = this.machine.next(this.state, { kind: 'transportClosed' }, this.clock()).state;
    this.hooks.onDeadline(null);
    this.hooks.onClosed({ reason: this.closeReason ?? 'transport_closed', phase });
  }
}

function asProtocolError(err: unknown): ProtocolError {
  return err instanceof ProtocolError ? err : new ProtocolError('internal', 'could not process the received bytes', {}, { cause: err });
}
