import type { TLSSocket } from 'node:tls';
import type { LogRecord } from '@wasmbed/example-apps';
import {
  FrameDecoder,
  GATEWAY_MAX_FRAME_BYTES,
  HEARTBEAT_MISSES,
  MAX_CHUNK_DATA_BYTES,
  MAX_LOG_MESSAGE_BYTES,
  MAX_REASON_BYTES,
  MessageIdTracker,
  ProtocolError,
  decodeGatewayMessage,
  encodeFrame,
  encodeMessage,
  maxChunkDataBytes,
  type DeployMessage,
  type DeviceMessage,
  type DeviceMessageType,
  type ErrorInfo,
  type GatewayMessage,
  type HelloBody,
  type Manifest,
  type MessageBodies,
  type ModuleChunkMessage,
  type WelcomeBody,
} from '@wasmbed/protocol';
import type { AppHost, InstalledApp } from '../runtime/app-host';
import type { AppStatusChange } from '../runtime/app-supervisor';
import { clipUtf8 } from '../support/clip-utf8';
import { checkDeploy, checkModule, type DeployPolicy } from './deploy-checks';
import type { DeviceClock } from './device-clock';
import type { ModuleTransfers, PartialModule } from './module-transfers';

/** Why a session ended; the device's reconnect policy acts on it. */
export type SessionEnd =
  | { readonly kind: 'transport_closed'; readonly error?: Error }
  | { readonly kind: 'rejected'; readonly code: string; readonly reason: string }
  /** `endpoint`: the gateway to use next (reason "rebalance", docs/protocol.md §8.6). */
  | { readonly kind: 'bye'; readonly reason: string; readonly retryAfterMs?: number; readonly endpoint?: string }
  /** `byPeer`: the gateway sent a fatal Error; otherwise the device found the violation and sent one. */
  | { readonly kind: 'protocol_error'; readonly code: string; readonly message: string; readonly byPeer: boolean }
  | { readonly kind: 'timeout'; readonly waitingFor: 'enrollment_reply' | 'welcome' | 'heartbeat_ack' }
  | { readonly kind: 'closed_by_device' };

export type SessionPhase = 'enrolling' | 'pending' | 'established' | 'ended';

export interface SessionOutcome {
  readonly end: SessionEnd;
  /** How long the session was established (after Welcome); null if it never was. */
  readonly establishedForMs: number | null;
  /** retryAfterMs of the last EnrollmentPending, when the session ended while pending. */
  readonly pendingRetryAfterMs?: number;
}

/** What a session needs from its device; the device outlives its sessions. */
export interface SessionHost {
  hello(): HelloBody;
  readonly apps: AppHost;
  readonly transfers: ModuleTransfers;
  readonly deployPolicy: DeployPolicy;
  /** The device's receive limit, announced in Hello. */
  readonly maxFrameBytes: number;
  readonly clock: DeviceClock;
  readonly enrollmentReplyTimeoutMs: number;
  /** How long to stay Pending without a decision before giving up on the connection. */
  readonly pendingHoldMs: number;
  uptimeMs(): number;
  phaseChanged(phase: SessionPhase, welcome?: WelcomeBody): void;
  received(message: GatewayMessage): void;
  sent(message: DeviceMessage): void;
}

/** A Deploy being served: the module transfer, then verification and install. */
interface ActiveDeploy {
  readonly deployMsgId: number;
  readonly appId: string;
  readonly revision: number;
  readonly manifest: Manifest;
  readonly partial: PartialModule;
  /** msgId of the outstanding ModuleRequest, 0 when none. */
  requestMsgId: number;
  /** Set by Stop: finish quietly and do not keep what was installed. */
  cancelled: boolean;
}

/**
 * One TLS connection to a gateway, from Hello to close: framing, message ids,
 * enrollment, heartbeats, deploy / transfer / stop. Apps and partial transfers
 * belong to the device and survive the session.
 */
export class DeviceSession {
  readonly outcome: Promise<SessionOutcome>;
  private phase: SessionPhase = 'enrolling';
  private readonly decoder: FrameDecoder;
  private readonly incomingIds = new MessageIdTracker();
  private lastSentMsgId = 0;
  private helloMsgId = 0;
  private timers: NodeJS.Timeout[] = [];
  private heartbeatSeq = 0;
  private lastAckAt = 0;
  private establishedAt: number | null = null;
  private pendingRetryAfterMs?: number;
  private deploy?: ActiveDeploy;
  private resolveOutcome!: (outcome: SessionOutcome) => void;

  constructor(
    private readonly socket: TLSSocket,
    private readonly host: SessionHost,
  ) {
    this.decoder = new FrameDecoder({ maxFrameBytes: host.maxFrameBytes });
    this.outcome = new Promise((resolve) => (this.resolveOutcome = resolve));
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (error) => this.finish({ kind: 'transport_closed', error }));
    socket.on('close', () => this.finish({ kind: 'transport_closed' }));
    this.helloMsgId = this.send('Hello', host.hello());
    this.after(host.enrollmentReplyTimeoutMs, () => {
      if (this.phase === 'enrolling') this.finish({ kind: 'timeout', waitingFor: 'enrollment_reply' });
    });
    host.phaseChanged('enrolling');
  }

  get currentPhase(): SessionPhase {
    return this.phase;
  }

  /** Ends the session from the device side (device stopping). */
  close(): void {
    this.finish({ kind: 'closed_by_device' });
  }

  reportStatus(app: InstalledApp, change: AppStatusChange): void {
    if (this.phase !== 'established') return;
    this.send('AppStatus', {
      appId: app.appId,
      revision: app.revision,
      state: change.state,
      restarts: change.restarts,
      ...(change.error ? { error: change.error } : {}),
    });
  }

  reportLog(app: InstalledApp, record: LogRecord): void {
    if (this.phase !== 'established') return;
    this.send('AppLog', {
      appId: app.appId,
      level: record.level,
      message: clipUtf8(record.message, MAX_LOG_MESSAGE_BYTES),
      timeMs: this.host.clock.nowMs(),
    });
  }

  // ---- receiving -------------------------------------------------------------------------

  private onData(chunk: Buffer): void {
    if (this.phase === 'ended') return;
    try {
      this.decoder.push(chunk, (payload) => this.onFrame(payload));
    } catch (err) {
      // A bug of ours must cost this session, not the process hosting a whole fleet.
      this.violation(err instanceof ProtocolError ? err : new ProtocolError('internal', `device error: ${(err as Error).message}`));
    }
  }

  private onFrame(payload: Uint8Array): void {
    if (this.phase === 'ended') return;
    let message: GatewayMessage;
    try {
      message = decodeGatewayMessage(payload);
      this.incomingIds.accept(message.msgId);
    } catch (err) {
      if (!(err instanceof ProtocolError)) throw err;
      const msgId = err.info.msgId;
      // An unknown message type is survivable once established; it still uses up its msgId.
      if (!err.fatal && this.phase === 'established' && msgId !== undefined && msgId === this.incomingIds.lastAccepted + 1) {
        this.incomingIds.accept(msgId);
        this.send('Error', { code: err.protocolCode, message: clipUtf8(err.message, MAX_REASON_BYTES), fatal: false }, msgId);
        return;
      }
      this.violation(err);
      return;
    }
    this.host.received(message);
    this.dispatch(message);
  }

  private dispatch(message: GatewayMessage): void {
    const answersHello = message.type === 'Welcome' || message.type === 'EnrollmentPending' || message.type === 'Rejected';
    if (answersHello && message.correlationId !== this.helloMsgId) {
      this.violation(new ProtocolError('invalid_message', `${message.type} must answer Hello ${this.helloMsgId}`, { msgId: message.msgId }));
      return;
    }
    switch (message.type) {
      case 'Error':
        return this.onError(message.body, message.correlationId);
      case 'Bye':
        return this.finish({ kind: 'bye', reason: message.body.reason, retryAfterMs: message.body.retryAfterMs, endpoint: message.body.endpoint });
      case 'Rejected':
        if (this.phase === 'established') break;
        return this.finish({ kind: 'rejected', code: message.body.code, reason: message.body.reason });
      case 'EnrollmentPending':
        if (this.phase !== 'enrolling') break;
        this.pendingRetryAfterMs = message.body.retryAfterMs;
        this.phase = 'pending';
        this.host.phaseChanged('pending');
        this.after(this.host.pendingHoldMs, () => {
          if (this.phase === 'pending') this.finish({ kind: 'timeout', waitingFor: 'welcome' });
        });
        return;
      case 'Welcome':
        if (this.phase === 'established') break;
        return this.onWelcome(message.body);
      default:
        if (this.phase !== 'established') break;
        return this.dispatchEstablished(message);
    }
    this.violation(new ProtocolError('unexpected_message', `${message.type} while ${this.phase}`, { msgId: message.msgId }));
  }

  private dispatchEstablished(message: GatewayMessage): void {
    switch (message.type) {
      case 'HeartbeatAck':
        this.lastAckAt = performance.now();
        this.host.clock.sync(message.body.serverTimeMs);
        return;
      case 'Deploy':
        return this.onDeploy(message);
      case 'ModuleChunk':
        return this.onChunk(message);
      case 'Stop':
        void this.onStop(message.body.appId, message.msgId);
        return;
    }
  }

  private onWelcome(body: WelcomeBody): void {
    this.phase = 'established';
    this.pendingRetryAfterMs = undefined;
    this.establishedAt = performance.now();
    this.lastAckAt = this.establishedAt;
    this.host.clock.sync(body.serverTimeMs);
    this.host.phaseChanged('established', body);
    const interval = body.heartbeatIntervalMs;
    const timer = setInterval(() => this.heartbeat(interval), interval);
    this.timers.push(timer);
  }

  private heartbeat(intervalMs: number): void {
    // The gateway acks every Heartbeat: a silent one is gone even if TCP has not noticed.
    if (performance.now() - this.lastAckAt > (HEARTBEAT_MISSES + 1) * intervalMs) {
      this.finish({ kind: 'timeout', waitingFor: 'heartbeat_ack' });
      return;
    }
    this.heartbeatSeq += 1;
    this.send('Heartbeat', {
      seq: this.heartbeatSeq,
      uptimeMs: Math.floor(this.host.uptimeMs()),
      freeMemoryBytes: this.host.apps.freeMemoryBytes,
      apps: this.host.apps.summaries(),
    });
  }

  private onError(body: { code: string; message: string; fatal: boolean }, correlationId: number): void {
    const deploy = this.deploy;
    if (deploy && deploy.requestMsgId !== 0 && correlationId === deploy.requestMsgId) {
      // The gateway could not serve the module; what arrived so far stays for a later attempt.
      this.endDeploy(deploy, { code: 'transfer_failed', message: `gateway answered ModuleRequest with ${body.code}: ${body.message}` });
    }
    if (body.fatal) this.finish({ kind: 'protocol_error', code: body.code, message: body.message, byPeer: true });
  }

  // ---- deploy, transfer, stop -----------------------------------------------------------

  private onDeploy(message: DeployMessage): void {
    const { appId, revision } = message.body;
    const fail = (error: ErrorInfo): void => {
      this.send('DeployResult', { appId, revision, ok: false, error }, message.msgId);
    };
    if (this.deploy) return fail({ code: 'unexpected_message', message: `the deploy of ${this.deploy.appId} is still in progress` });
    const checked = checkDeploy(message.body, this.host.deployPolicy);
    if (!checked.ok) return fail(checked.error);
    const manifest = checked.value;
    if (this.host.apps.isActive(appId, revision, manifest.sha256)) {
      this.send('DeployResult', { appId, revision, ok: true, sha256: this.host.apps.get(appId)!.sha256 }, message.msgId);
      return;
    }
    const refused = this.host.apps.admit(appId, manifest);
    if (refused) return fail(refused);
    const partial = this.host.transfers.resume(manifest.sha256, manifest.sizeBytes);
    this.deploy = { deployMsgId: message.msgId, appId, revision, manifest, partial, requestMsgId: 0, cancelled: false };
    this.continueTransfer(this.deploy);
  }

  private continueTransfer(deploy: ActiveDeploy): void {
    if (deploy.partial.complete) {
      deploy.requestMsgId = 0;
      this.install(deploy).catch((err: Error) => this.endDeploy(deploy, { code: 'internal', message: `device error: ${err.message}` }));
      return;
    }
    deploy.requestMsgId = this.send('ModuleRequest', {
      appId: deploy.appId,
      revision: deploy.revision,
      offset: deploy.partial.received,
      maxBytes: Math.min(MAX_CHUNK_DATA_BYTES, maxChunkDataBytes(this.host.maxFrameBytes)),
    });
  }

  private onChunk(message: ModuleChunkMessage): void {
    const deploy = this.deploy;
    const body = message.body;
    const problem =
      !deploy || deploy.requestMsgId === 0 || message.correlationId !== deploy.requestMsgId
        ? 'no ModuleRequest of this device awaits it'
        : body.appId !== deploy.appId || body.revision !== deploy.revision
          ? `the transfer in progress is ${deploy.appId} revision ${deploy.revision}`
          : body.totalBytes !== deploy.manifest.sizeBytes
            ? `totalBytes ${body.totalBytes} differs from the manifest's sizeBytes ${deploy.manifest.sizeBytes}`
            : body.offset !== deploy.partial.received
              ? `offset ${body.offset}, requested ${deploy.partial.received}`
              : null;
    if (problem !== null || !deploy) {
      this.send('Error', { code: 'unexpected_message', message: clipUtf8(`ModuleChunk: ${problem}`, MAX_REASON_BYTES), fatal: false }, message.msgId);
      if (deploy && message.correlationId === deploy.requestMsgId) {
        this.host.transfers.discard(deploy.partial);
        this.endDeploy(deploy, { code: 'transfer_failed', message: `bad ModuleChunk: ${problem}` });
      }
      return;
    }
    deploy.partial.append(body.offset, body.data);
    this.continueTransfer(deploy);
  }

  private async install(deploy: ActiveDeploy): Promise<void> {
    const bytes = deploy.partial.bytes();
    // Whatever the verdict, these bytes are done with: verified ones get installed, bad ones must not be resumed.
    this.host.transfers.discard(deploy.partial);
    const checked = checkModule(deploy.manifest, bytes, this.host.deployPolicy.runtime);
    if (!checked.ok) return this.endDeploy(deploy, checked.error);
    const started = await this.host.apps.install(deploy.manifest, deploy.appId, bytes, checked.value);
    if (deploy.cancelled) {
      await this.host.apps.stop(deploy.appId);
      return;
    }
    if (!started.ok) return this.endDeploy(deploy, started.error);
    this.endDeploy(deploy, null);
  }

  /** Sends the DeployResult (unless cancelled by Stop) and frees the session for the next Deploy. */
  private endDeploy(deploy: ActiveDeploy, error: ErrorInfo | null): void {
    if (this.deploy === deploy) this.deploy = undefined;
    if (deploy.cancelled) return;
    const { appId, revision } = deploy;
    const result = error
      ? { appId, revision, ok: false, error: { code: error.code, message: clipUtf8(error.message, MAX_REASON_BYTES) } }
      : { appId, revision, ok: true, sha256: this.host.apps.get(appId)!.sha256 };
    this.send('DeployResult', result, deploy.deployMsgId);
  }

  private async onStop(appId: string, msgId: number): Promise<void> {
    const deploy = this.deploy;
    if (deploy?.appId === appId) {
      // Stop cancels the transfer (answered by StopResult alone); received bytes stay resumable.
      deploy.cancelled = true;
      this.deploy = undefined;
    }
    await this.host.apps.stop(appId);
    this.send('StopResult', { appId, ok: true }, msgId);
  }

  // ---- sending and ending -------------------------------------------------------------------

  private send<T extends DeviceMessageType>(type: T, body: MessageBodies[T], correlationId = 0): number {
    if (this.phase === 'ended') return 0;
    const message = { type, msgId: this.lastSentMsgId + 1, correlationId, body } as DeviceMessage;
    const frame = encodeFrame(encodeMessage(message), GATEWAY_MAX_FRAME_BYTES);
    this.lastSentMsgId = message.msgId;
    this.socket.write(frame);
    this.host.sent(message);
    return message.msgId;
  }

  /** The gateway broke the protocol: say so with a fatal Error and close. */
  private violation(err: ProtocolError): void {
    if (this.phase === 'ended') return;
    this.send('Error', { code: err.protocolCode, message: clipUtf8(err.message, MAX_REASON_BYTES), fatal: true }, err.info.msgId ?? 0);
    this.finish({ kind: 'protocol_error', code: err.protocolCode, message: err.message, byPeer: false });
  }

  private after(ms: number, action: () => void): void {
    const timer = setTimeout(action, ms);
    timer.unref();
    this.timers.push(timer);
  }

  private finish(end: SessionEnd): void {
    if (this.phase === 'ended') return;
    const wasPending = this.phase === 'pending';
    this.phase = 'ended';
    for (const timer of this.timers) clearTimeout(timer);
    this.timers = [];
    if (this.deploy) this.deploy = undefined; // its partial module stays with the device
    // close_notify and FIN first; a peer that never closes its side is cut off shortly after.
    this.socket.end();
    setTimeout(() => this.socket.destroy(), 1_000).unref();
    this.host.phaseChanged('ended');
    this.resolveOutcome({
      end,
      establishedForMs: this.establishedAt === null ? null : performance.now() - this.establishedAt,
      pendingRetryAfterMs: wasPending ? this.pendingRetryAfterMs : undefined,
    });
  }
}
