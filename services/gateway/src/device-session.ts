import { randomUUID } from 'node:crypto';
import type { Socket } from 'node:net';
import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import {
  deviceLogSubject,
  deviceStatusSubject,
  encodeDeviceLog,
  encodeDeviceStatus,
  errorToBusError,
  serveDeviceCommands,
  type DeployToDevice,
  type DeviceBusCommand,
  type DeviceCommandReply,
  type DeviceStatusMessage,
  type LivenessStore,
  type RebalanceDevice,
  type StopOnDevice,
} from '@wasmbed/device-bus';
import { isPairingModeActive, type DeviceEvent, type DeviceState } from '@wasmbed/domain';
import type { HandleCommandResult } from '@wasmbed/event-log';
import type { PeerIdentity } from '@wasmbed/pki';
import {
  checkManifestAgainst,
  decodeManifest,
  DEVICE_FEATURES,
  MAX_RETRY_AFTER_MS,
  MIN_RETRY_AFTER_MS,
  ProtocolError,
  verifyManifest,
  type DeviceMessage,
  type HelloBody,
  type MessageOf,
  type SessionPhase,
  type SessionStateMachine,
} from '@wasmbed/protocol';
import { AppTracker } from './app-tracker';
import { capabilitiesOf, deviceIdFor, keyDerivedDeviceId, outcomeOf, refusalOf, type EnrollmentOutcome } from './enrollment';
import type { FleetCommands } from './fleet-commands';
import type { FleetDirectory, KnownDeviceStream } from './fleet-directory';
import type { KeyedQueue } from './keyed-queue';
import { LivenessWriter } from './liveness-writer';
import type { Logger } from './logger';
import type { GatewayMetrics } from './metrics';
import { chunkRange } from './module-chunks';
import type { ModuleCache } from './module-cache';
import type { VerifiedManifests } from './verified-manifests';
import { ProtocolConnection, type ClosedInfo } from './protocol-connection';
import { ReplyWaiters } from './reply-waiters';
import type { SessionRegistry } from './session-registry';

export interface SessionServices {
  readonly gatewayId: string;
  readonly heartbeatIntervalMs: number;
  /**
   * An unchanged liveness record is rewritten at most this often (default: the
   * heartbeat interval); a change of the apps is written at once.
   */
  readonly livenessFlushMs?: number;
  readonly autoApprove: boolean;
  /** How long a Deploy/Stop command waits for the device's first answer. */
  readonly commandReplyTimeoutMs: number;
  readonly machine: SessionStateMachine;
  readonly directory: FleetDirectory;
  readonly commands: FleetCommands;
  readonly nc: NatsConnection;
  readonly liveness: LivenessStore;
  readonly modules: ModuleCache;
  /** Signatures already checked, shared by every session (see VerifiedManifests). */
  readonly verifiedManifests?: VerifiedManifests;
  readonly metrics: GatewayMetrics;
  readonly logger: Logger;
  readonly registry: SessionRegistry<DeviceSession>;
  /** Event-log writes per device, in order across its sessions. */
  readonly deviceWrites: KeyedQueue;
  readonly clock: () => number;
}

/** The module a Deploy sent, served to the device chunk by chunk. */
interface Transfer {
  readonly appId: string;
  readonly revision: number;
  readonly bytes: Uint8Array;
  readonly deployMsgId: number;
}

export interface SessionSummary {
  readonly sessionId: string;
  readonly deviceId: string | null;
  readonly phase: SessionPhase;
  readonly publicKey: string;
  readonly remoteAddress: string | null;
  readonly connectedAt: string;
  readonly lastHeartbeatAt: string | null;
}

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const clampRetry = (ms: number) => Math.min(MAX_RETRY_AFTER_MS, Math.max(MIN_RETRY_AFTER_MS, ms));
const failed = (code: Extract<DeviceCommandReply, { ok: false }>['error']['code'], message: string): DeviceCommandReply => ({
  ok: false,
  error: { code, message: message.slice(0, 4096) },
});

/**
 * One device's session, from the TLS handshake to the close: enrollment through
 * the event log, heartbeats into the liveness bucket, commands from NATS turned
 * into frames, and the device's reports published as status. Event-log writes
 * of one session run one after another, in order.
 */
export class DeviceSession {
  readonly sessionId = randomUUID();
  readonly connectedAt: Date;
  private readonly connection: ProtocolConnection;
  private readonly remoteAddress: string | null;
  private readonly apps = new AppTracker();
  // Created on first use: most sessions never get a command, and refused ones never write liveness.
  private replyWaiters?: ReplyWaiters;
  private livenessWriter?: LivenessWriter;
  private deviceId?: string;
  private established = false;
  private lastHeartbeat = { at: 0, seq: 0, uptimeMs: 0, freeMemoryBytes: 0 };
  /** When the liveness record was last written, and at which version of the apps. */
  private livenessWrittenAt = 0;
  private livenessAppsVersion = -1;
  /** When a deferred liveness write is due (null: none pending). */
  private livenessDue: number | null = null;
  private protocolDeadline: number | null = null;
  private transfer?: Transfer;
  private commandSub?: Subscription;
  private lastWrite: Promise<void> = Promise.resolve();
  /** The device stream after this session's last event-log write. */
  private lastWritten?: { readonly deviceId: string; readonly known: KnownDeviceStream };
  /** Log position of this session's own DeviceConnected, once written. */
  private connectedPosition?: number;
  private newestForeignConnect = 0;
  /** Set at connect for a key the fleet log knows as revoked: Hello is answered with Rejected, the log is not asked. */
  private refusedAtConnect?: { code: string; reason: string };
  private closedResolve!: () => void;
  /** Resolves once the session is closed and its event-log writes are done. */
  readonly closed = new Promise<void>((resolve) => (this.closedResolve = resolve));

  constructor(
    socket: Socket,
    readonly identity: PeerIdentity,
    private readonly services: SessionServices,
  ) {
    this.connectedAt = new Date(services.clock());
    this.remoteAddress = socket.remoteAddress ?? null;
    this.connection = new ProtocolConnection(socket, services.machine, services.clock, services.metrics, {
      onDeliver: (message) => this.deliver(message),
      onDeadline: (deadline) => {
        this.protocolDeadline = deadline;
        this.reschedule();
      },
      onClosed: (info) => void this.ended(info),
    });
  }

  private get replies(): ReplyWaiters {
    return (this.replyWaiters ??= new ReplyWaiters());
  }

  private get liveness(): LivenessWriter {
    return (this.livenessWriter ??= new LivenessWriter(this.services.liveness));
  }

  start(): void {
    this.services.registry.add(this);
    this.connection.start();
  }

  get phase(): SessionPhase {
    return this.connection.phase;
  }

  get device(): string | undefined {
    return this.deviceId;
  }

  summary(): SessionSummary {
    return {
      sessionId: this.sessionId,
      deviceId: this.deviceId ?? null,
      phase: this.connection.phase,
      publicKey: this.identity.publicKeyHex,
      remoteAddress: this.remoteAddress,
      connectedAt: this.connectedAt.toISOString(),
      lastHeartbeatAt: this.established ? new Date(this.lastHeartbeat.at).toISOString() : null,
    };
  }

  tick(): void {
    if (this.livenessDue !== null && this.services.clock() >= this.livenessDue) void this.writeLiveness();
    this.connection.tick();
  }

  /** One wheel entry per session: the protocol's deadline or a deferred liveness write, whichever comes first. */
  private reschedule(): void {
    const protocol = this.protocolDeadline;
    const liveness = this.connection.phase === 'Closed' ? null : this.livenessDue;
    this.services.registry.schedule(this, liveness === null ? protocol : protocol === null ? liveness : Math.min(protocol, liveness));
  }

  /** Closes before the protocol starts, without a message. */
  abort(reason: string): void {
    this.connection.abort(reason);
  }

  /** Ends the session with Bye (any phase). */
  bye(reason: string, retryAfterMs?: number): void {
    this.connection.send({ type: 'Bye', body: retryAfterMs === undefined ? { reason } : { reason, retryAfterMs: clampRetry(retryAfterMs) } });
  }

  supersede(): void {
    this.bye('superseded');
  }

  /** The device was revoked or denied: Rejected while enrolling, else Bye. */
  refuse(code: 'revoked' | 'denied', reason: string): void {
    const phase = this.connection.phase;
    if (phase === 'Enrolling' || phase === 'Pending') this.connection.send({ type: 'Rejected', body: { code, reason: reason.slice(0, 256) } });
    else this.bye(code);
  }

  /** Answer this key's Hello with Rejected without asking the event log (it is known to be revoked). */
  refuseAtHello(code: string, reason: string): void {
    this.refusedAtConnect = { code, reason };
  }

  /** The pending device was approved: welcome it now. */
  approve(): void {
    if (this.connection.phase === 'Pending') this.establish();
  }

  /** Another session's DeviceConnected at `position`: if it is newer than ours, we are the stale one. */
  foreignConnect(position: number): void {
    this.newestForeignConnect = Math.max(this.newestForeignConnect, position);
    if (this.connectedPosition !== undefined && position > this.connectedPosition) this.supersede();
  }

  private deliver(message: DeviceMessage): void {
    try {
      switch (message.type) {
        case 'Hello':
          void this.enroll(message.body);
          return;
        case 'Heartbeat':
          this.heartbeat(message);
          return;
        case 'ModuleRequest':
          this.serveChunk(message);
          return;
        case 'DeployResult':
          this.deployResult(message);
          return;
        case 'StopResult':
          this.stopResult(message);
          return;
        case 'AppStatus':
          this.appStatus(message);
          return;
        case 'AppLog':
          this.appLog(message);
          return;
        case 'Error':
          this.deviceError(message);
          return;
      }
    } catch (err) {
      this.services.logger.error('handling a device message failed', { sessionId: this.sessionId, deviceId: this.deviceId, type: message.type, error: err });
    }
  }

  // --- enrollment -----------------------------------------------------------

  private async enroll(hello: HelloBody): Promise<void> {
    const { directory, metrics, logger } = this.services;
    const key = this.identity.publicKeyHex;
    if (this.refusedAtConnect !== undefined) {
      metrics.enrollments.inc({ outcome: 'rejected' });
      this.connection.send({ type: 'Rejected', body: { code: this.refusedAtConnect.code, reason: this.refusedAtConnect.reason.slice(0, 256) } });
      return;
    }
    let outcome: EnrollmentOutcome;
    try {
      const candidate = deviceIdFor(key, this.identity.commonName, directory);
      outcome = await this.requestEnrollment(candidate, hello);
      // The name looked free but holds another key (the directory lagged): fall back to the key's own name.
      if (outcome.kind === 'rejected' && outcome.code === 'key_mismatch' && candidate !== keyDerivedDeviceId(key) && directory.deviceWithKey(key) === undefined) {
        outcome = await this.requestEnrollment(keyDerivedDeviceId(key), hello);
      }
    } catch (err) {
      metrics.enrollments.inc({ outcome: 'failed' });
      logger.warn('enrollment could not be decided; asking the device to come back', { sessionId: this.sessionId, error: err });
      this.bye('unavailable', 5_000);
      return;
    }
    metrics.enrollments.inc({ outcome: outcome.kind });
    this.deviceId = outcome.deviceId;
    logger.info('enrollment decided', { sessionId: this.sessionId, deviceId: outcome.deviceId, outcome: outcome.kind });
    switch (outcome.kind) {
      case 'welcome':
        this.establish();
        return;
      case 'pending':
        if (!this.connection.send({ type: 'EnrollmentPending', body: { retryAfterMs: clampRetry(this.services.heartbeatIntervalMs), reason: 'awaiting operator approval' } })) return;
        this.services.registry.claim(outcome.deviceId, this);
        // Approved while we were deciding: the event went by before we were listening.
        if (outcome.deviceId && this.isEnrolledNow(outcome.deviceId)) this.establish();
        return;
      case 'rejected':
        this.connection.send({ type: 'Rejected', body: { code: outcome.code, reason: outcome.reason.slice(0, 256) } });
        return;
    }
  }

  private isEnrolledNow(deviceId: string): boolean {
    const status = this.services.directory.device(deviceId)?.status;
    return status === 'Enrolled' || status === 'Connected' || status === 'Disconnected' || status === 'Unreachable';
  }

  private async requestEnrollment(deviceId: string, hello: HelloBody): Promise<EnrollmentOutcome> {
    const { commands, directory, gatewayId, autoApprove, clock } = this.services;
    try {
      const result = await commands.device(
        'RequestEnrollment',
        {
          deviceId,
          publicKey: this.identity.publicKeyHex,
          gatewayId,
          pairingModeActive: isPairingModeActive(directory.gatewayState(), new Date(clock()).toISOString()),
          autoApprove,
          capabilities: capabilitiesOf(hello),
        },
        this.knownStream(deviceId),
      );
      this.remember(deviceId, result);
      const last = result.events.at(-1);
      // So that later lookups (and approvals reacting to it) see this outcome.
      if (last !== undefined) await directory.waitForPosition(last.position, 2_000);
      return outcomeOf(deviceId, result.state);
    } catch (err) {
      const refusal = refusalOf(deviceId, err);
      if (refusal === undefined) throw err;
      return refusal;
    }
  }

  private establish(): void {
    const { gatewayId, heartbeatIntervalMs, clock, registry, nc } = this.services;
    const deviceId = this.deviceId!;
    const hello = this.connection.hello!;
    const now = clock();
    if (!this.connection.send({ type: 'Welcome', body: { deviceId, gatewayId, heartbeatIntervalMs, serverTimeMs: now } })) return;
    this.established = true;
    this.lastHeartbeat = { at: now, seq: 0, uptimeMs: 0, freeMemoryBytes: 0 };
    registry.claim(deviceId, this);
    this.apps.replaceAll(hello.apps);
    this.commandSub = serveDeviceCommands(nc, deviceId, (command) => this.command(command));
    this.writeLog(async () => {
      // One commit: the session and what Hello said about the device (no event when unchanged).
      const connected = await this.services.commands.devices(
        deviceId,
        [
          { type: 'MarkConnected', data: { deviceId, gatewayId, sessionId: this.sessionId } },
          { type: 'ReportCapabilities', data: { deviceId, capabilities: capabilitiesOf(hello) } },
        ],
        this.knownStream(deviceId),
      );
      this.remember(deviceId, connected);
      this.connectedPosition = connected.events.find((e) => e.type === 'DeviceConnected')?.position ?? connected.nextExpectedVersion;
      if (this.newestForeignConnect > this.connectedPosition) this.supersede();
    });
    this.writeLiveness();
  }

  /** The newest view of the device's stream: the directory's fold, or this session's last write if the directory has not seen it yet. */
  private knownStream(deviceId: string): KnownDeviceStream {
    const folded = this.services.directory.deviceStream(deviceId);
    const own = this.lastWritten;
    return own !== undefined && own.deviceId === deviceId && own.known.streamVersion > folded.streamVersion ? own.known : folded;
  }

  private remember(deviceId: string, result: HandleCommandResult<DeviceEvent, DeviceState>): void {
    this.lastWritten = { deviceId, known: { state: result.state, streamVersion: result.nextExpectedVersion } };
  }

  // --- heartbeats and reports -------------------------------------------------

  private heartbeat(message: MessageOf<'Heartbeat'>): void {
    const started = performance.now();
    const { seq, uptimeMs, freeMemoryBytes, apps } = message.body;
    this.lastHeartbeat = { at: this.services.clock(), seq, uptimeMs, freeMemoryBytes };
    for (const app of this.apps.replaceAll(apps)) {
      this.publishStatus({ type: 'AppStatus', ...this.origin(), appId: app.appId, revision: app.revision, state: app.state, restarts: app.restarts, ...(app.error ? { error: app.error } : {}) });
    }
    const { heartbeatSeconds } = this.services.metrics;
    const written = this.writeLiveness(false);
    if (written === undefined) heartbeatSeconds.observe((performance.now() - started) / 1000);
    else void written.then(() => heartbeatSeconds.observe((performance.now() - started) / 1000));
  }

  private appStatus(message: MessageOf<'AppStatus'>): void {
    const { appId, revision, state, restarts, error } = message.body;
    this.publishStatus({ type: 'AppStatus', ...this.origin(), appId, revision, state, restarts, ...(error ? { error } : {}) });
    if (this.apps.applyStatus(message.body)) void this.writeLiveness();
  }

  private appLog(message: MessageOf<'AppLog'>): void {
    const { appId, level, message: text, timeMs } = message.body;
    this.publish(deviceLogSubject(this.deviceId!), () => encodeDeviceLog({ ...this.origin(), appId, level, message: text, deviceTimeMs: timeMs }));
  }

  private deviceError(message: MessageOf<'Error'>): void {
    const { code, message: text, fatal } = message.body;
    this.services.logger.warn('device reported a protocol error', { sessionId: this.sessionId, deviceId: this.deviceId, code, message: text, fatal });
    const t = this.transfer;
    if (t !== undefined && message.correlationId === t.deployMsgId) {
      this.transfer = undefined;
      this.replies.settle(`deploy:${t.appId}`, failed('failed_precondition', `device refused the deploy: ${code}: ${text}`));
    }
  }

  private origin() {
    return { deviceId: this.deviceId!, gatewayId: this.services.gatewayId, sessionId: this.sessionId, at: new Date(this.services.clock()).toISOString() };
  }

  private publishStatus(status: DeviceStatusMessage): void {
    this.publish(deviceStatusSubject(this.deviceId!), () => encodeDeviceStatus(status));
  }

  private publish(subject: string, encode: () => Uint8Array): void {
    try {
      this.services.nc.publish(subject, encode());
    } catch (err) {
      this.services.logger.warn('publishing a device report failed', { sessionId: this.sessionId, deviceId: this.deviceId, subject, error: err });
    }
  }

  /**
   * Writes the liveness record (coalesced); failures are logged, never fatal to
   * the session. Unless `now`, an unchanged record written less than the flush
   * period ago is deferred to the wheel: a steady device costs one KV put per
   * period, not one per heartbeat. Returns undefined when nothing was written.
   */
  private writeLiveness(now = true): Promise<void> | undefined {
    if (!this.established || this.deviceId === undefined) return undefined;
    const at = this.services.clock();
    const flushMs = this.services.livenessFlushMs ?? this.services.heartbeatIntervalMs;
    if (!now && this.apps.version === this.livenessAppsVersion && at - this.livenessWrittenAt < flushMs) {
      if (this.livenessDue === null) {
        this.livenessDue = this.livenessWrittenAt + flushMs;
        this.reschedule();
      }
      return undefined;
    }
    this.livenessWrittenAt = at;
    this.livenessAppsVersion = this.apps.version;
    if (this.livenessDue !== null) {
      this.livenessDue = null;
      this.reschedule();
    }
    const hb = this.lastHeartbeat;
    return this.liveness
      .write({
        deviceId: this.deviceId,
        gatewayId: this.services.gatewayId,
        sessionId: this.sessionId,
        connectedAt: this.connectedAt.toISOString(),
        lastHeartbeatAt: new Date(hb.at).toISOString(),
        heartbeatSeq: hb.seq,
        uptimeMs: hb.uptimeMs,
        freeMemoryBytes: hb.freeMemoryBytes,
        apps: this.apps.list(),
      })
      .catch((err: unknown) => this.services.logger.warn('liveness write failed', { sessionId: this.sessionId, deviceId: this.deviceId, error: err }));
  }

  // --- commands from the control plane ------------------------------------------

  private async command(command: DeviceBusCommand): Promise<DeviceCommandReply> {
    if (this.connection.phase !== 'Established') return failed('unavailable', `device '${this.deviceId}' is not in an established session`);
    try {
      switch (command.type) {
        case 'DeployToDevice':
          return await this.deploy(command);
        case 'StopOnDevice':
          return await this.stop(command);
        case 'RebalanceDevice':
          return this.rebalance(command);
      }
    } catch (err) {
      this.services.logger.error('device command failed', { sessionId: this.sessionId, deviceId: this.deviceId, type: command.type, error: err });
      return { ok: false, error: errorToBusError(err) };
    }
  }

  private async deploy(command: DeployToDevice): Promise<DeviceCommandReply> {
    const manifestBytes = new Uint8Array(Buffer.from(command.manifest, 'base64'));
    const signature = new Uint8Array(Buffer.from(command.signature, 'hex'));
    const publisherKey = new Uint8Array(Buffer.from(command.publisherKey, 'hex'));
    let manifest;
    try {
      manifest = decodeManifest(manifestBytes);
    } catch (err) {
      if (err instanceof ProtocolError) return failed('invalid_argument', `invalid_manifest: ${err.message}`);
      throw err;
    }
    if (manifest.revision !== command.revision) {
      return failed('invalid_argument', `invalid_manifest: the manifest is revision ${manifest.revision}, the command says ${command.revision}`);
    }
    const verified = this.services.verifiedManifests
      ? this.services.verifiedManifests.verify(manifestBytes, signature, publisherKey)
      : verifyManifest(manifestBytes, signature, publisherKey);
    if (!verified) {
      return failed('invalid_argument', 'bad_signature: the manifest signature does not verify with the publisher key');
    }
    const runtime = this.connection.hello!.runtime;
    const problems = checkManifestAgainst(manifest, null, runtime);
    if (problems.length > 0) return failed('failed_precondition', problems.map((p) => `${p.code}: ${p.message}`).join('; '));
    if (this.transfer !== undefined) return this.busy();
    const bytes = await this.services.modules.get(hex(manifest.sha256));
    const moduleProblems = checkManifestAgainst(manifest, bytes, runtime);
    if (moduleProblems.length > 0) return failed('failed_precondition', moduleProblems.map((p) => `${p.code}: ${p.message}`).join('; '));
    // The module load was asynchronous: the session or another deploy may have moved on.
    if (this.connection.phase !== 'Established') return failed('unavailable', 'the session closed');
    if (this.transfer !== undefined) return this.busy();

    const reply = this.replies.wait(`deploy:${command.appId}`, this.services.commandReplyTimeoutMs, () =>
      failed('unavailable', `device '${this.deviceId}' did not answer the deploy within ${this.services.commandReplyTimeoutMs} ms`),
    );
    this.apps.rememberModule(command.appId, command.revision, hex(manifest.sha256));
    this.connection.send({ type: 'Deploy', body: { appId: command.appId, revision: command.revision, manifest: manifestBytes, signature, publisherKey } });
    this.transfer = { appId: command.appId, revision: command.revision, bytes, deployMsgId: this.connection.lastSentMsgId };
    return reply;
  }

  private busy(): DeviceCommandReply {
    const t = this.transfer!;
    return failed('failed_precondition', `the deploy of ${t.appId} revision ${t.revision} to this device is still in progress`);
  }

  private stop(command: StopOnDevice): Promise<DeviceCommandReply> {
    const reply = this.replies.wait(`stop:${command.appId}`, this.services.commandReplyTimeoutMs, () =>
      failed('unavailable', `device '${this.deviceId}' did not answer the stop within ${this.services.commandReplyTimeoutMs} ms`),
    );
    // Stop cancels a transfer of the same app (the protocol says the device answers StopResult only).
    if (this.transfer?.appId === command.appId) {
      this.replies.settle(`deploy:${command.appId}`, failed('failed_precondition', 'the deploy was cancelled by a stop'));
      this.transfer = undefined;
    }
    this.connection.send({ type: 'Stop', body: { appId: command.appId } });
    return reply;
  }

  /**
   * Sends the device to another gateway (docs/protocol.md §8.6), for this session
   * only: a request naming another session is stale (the device reconnected since
   * it was planned). A device that did not announce "redirect" would come straight
   * back here, so it is kept and the refusal says why.
   */
  private rebalance(command: RebalanceDevice): DeviceCommandReply {
    const { metrics, logger } = this.services;
    if (command.sessionId !== this.sessionId) {
      metrics.rebalances.inc({ outcome: 'stale_session' });
      return failed('failed_precondition', `device '${this.deviceId}' holds session ${this.sessionId} here, not ${command.sessionId}: the move is stale`);
    }
    if (!(this.connection.hello?.features ?? []).includes(DEVICE_FEATURES.redirect)) {
      metrics.rebalances.inc({ outcome: 'unsupported' });
      return failed('failed_precondition', `device '${this.deviceId}' did not announce the "${DEVICE_FEATURES.redirect}" feature: it cannot follow a move`);
    }
    if (!this.connection.send({ type: 'Bye', body: { reason: 'rebalance', endpoint: command.endpoint } })) {
      return failed('unavailable', `the session of device '${this.deviceId}' closed`);
    }
    metrics.rebalances.inc({ outcome: 'sent' });
    logger.info('device sent to another gateway', { sessionId: this.sessionId, deviceId: this.deviceId, endpoint: command.endpoint });
    return { ok: true };
  }

  private serveChunk(message: MessageOf<'ModuleRequest'>): void {
    const t = this.transfer;
    const { appId, revision } = message.body;
    if (t === undefined || t.appId !== appId || t.revision !== revision) {
      // The protocol's answer to a request the gateway cannot serve (docs/protocol.md §9).
      this.connection.send({ type: 'Error', correlationId: message.msgId, body: { code: 'internal', message: 'the module is no longer available', fatal: false } });
      return;
    }
    // The device accepted the Deploy and started pulling: that is the command's reply.
    this.replies.settle(`deploy:${appId}`, { ok: true });
    const { start, end } = chunkRange(message.body, t.bytes.length, this.connection.deviceMaxFrameBytes!);
    this.connection.send({
      type: 'ModuleChunk',
      correlationId: message.msgId,
      body: { appId, revision, offset: start, data: t.bytes.subarray(start, end), totalBytes: t.bytes.length },
    });
  }

  private deployResult(message: MessageOf<'DeployResult'>): void {
    const { appId, revision, ok, sha256, error } = message.body;
    if (this.transfer?.appId === appId && this.transfer.revision === revision) this.transfer = undefined;
    this.replies.settle(`deploy:${appId}`, ok ? { ok: true } : failed('failed_precondition', `device refused the deploy: ${error?.code}: ${error?.message}`));
    if (ok && sha256 !== undefined) this.apps.deployed(appId, revision, sha256);
    this.publishStatus({
      type: 'DeployResult',
      ...this.origin(),
      appId,
      revision,
      ok,
      ...(sha256 ? { sha256: hex(sha256) } : {}),
      ...(error ? { error } : {}),
    });
    void this.writeLiveness();
  }

  private stopResult(message: MessageOf<'StopResult'>): void {
    const { appId, ok, error } = message.body;
    this.replies.settle(`stop:${appId}`, ok ? { ok: true } : failed('failed_precondition', `device could not stop ${appId}: ${error?.code}: ${error?.message}`));
    if (ok) this.apps.stopped(appId);
    this.publishStatus({ type: 'StopResult', ...this.origin(), appId, ok, ...(error ? { error } : {}) });
    void this.writeLiveness();
  }

  // --- the end ------------------------------------------------------------------

  /** Event-log writes of this device, strictly in order across its sessions; a failure is logged and does not stop later ones. */
  private writeLog(step: () => Promise<void>): void {
    this.lastWrite = this.services.deviceWrites.run(this.deviceId!, step, (err: unknown) =>
      this.services.logger.warn('event log write for a session failed', { sessionId: this.sessionId, deviceId: this.deviceId, error: err }),
    );
  }

  private async ended(info: ClosedInfo): Promise<void> {
    const { registry, commands, logger, metrics } = this.services;
    registry.remove(this, this.deviceId);
    this.livenessDue = null;
    this.commandSub?.unsubscribe();
    this.replyWaiters?.settleAll(failed('unavailable', `the session of device '${this.deviceId}' closed (${info.reason})`));
    this.transfer = undefined;
    logger.info('session closed', { sessionId: this.sessionId, deviceId: this.deviceId, reason: info.reason, phase: info.phase });
    metrics.sessions.set(registry.size);
    const deviceId = this.deviceId;
    if (this.established && deviceId !== undefined) {
      const sessionId = this.sessionId;
      const lastHeartbeatAt = new Date(this.lastHeartbeat.at).toISOString();
      // The machine closes for `timeout` in Established only when heartbeats stopped.
      const unreachable = info.reason === 'timeout' && info.phase === 'Established';
      this.writeLog(async () => {
        if (unreachable) await commands.device('MarkUnreachable', { deviceId, sessionId, lastHeartbeatAt }, this.knownStream(deviceId));
        else await commands.device('MarkDisconnected', { deviceId, sessionId, reason: info.reason }, this.knownStream(deviceId));
      });
      this.writeLog(async () => {
        await this.livenessWriter?.idle();
        await this.services.liveness.removeSession(deviceId, sessionId);
      });
    }
    await this.lastWrite;
    this.closedResolve();
  }
}
