import { EventEmitter } from 'node:events';
import { createSecureContext, type SecureContext } from 'node:tls';
import type { ResourceLimits } from 'node:worker_threads';
import { ALL_HOST_FUNCTIONS, type LogRecord } from '@wasmbed/example-apps';
import {
  DEVICE_FEATURES,
  ENROLLMENT_REPLY_TIMEOUT_MS,
  MAX_APPS,
  MAX_U32,
  MIN_DEVICE_FRAME_BYTES,
  PENDING_HOLD_MS,
  type AppSummary,
  type DeviceMessage,
  type GatewayMessage,
  type HelloBody,
  type WelcomeBody,
} from '@wasmbed/protocol';
import { SimDeviceConfigError } from '../errors';
import { AppHost, type InstalledApp } from '../runtime/app-host';
import type { AppStatusChange } from '../runtime/app-supervisor';
import type { RestartPolicy } from '../runtime/restart-policy';
import { Backoff, DEFAULT_RECONNECT_BACKOFF, type BackoffPolicy } from '../support/backoff';
import { DeviceClock } from './device-clock';
import { loadOrCreateDeviceIdentity, type DeviceIdentity } from './device-identity';
import { DeviceSession, type SessionEnd, type SessionOutcome, type SessionPhase } from './device-session';
import { GatewayEndpoints } from './gateway-endpoints';
import { ModuleTransfers } from './module-transfers';
import { nextAttempt, type RejectedPolicy } from './reconnect-policy';
import { connectTls } from './tls-connect';

export type DeviceState = 'disconnected' | 'connecting' | 'enrolling' | 'connected' | 'rejected';

export interface RuntimeConfig {
  readonly maxModuleBytes: number;
  readonly maxInstances: number;
  /** Qualified host functions offered ("wasmbed.log"); default all of ABI v1. */
  readonly hostFunctions: readonly string[];
}

export interface SimDeviceConfig {
  /** CN of the self-signed certificate; the gateway assigns the deviceId (Welcome). */
  readonly name: string;
  /** "host:port" of the gateway's device endpoint (the provisioned one; a Bye may move the device elsewhere). */
  readonly gateway: string;
  /** PEM of the CA(s) the gateway's certificate must chain to. */
  readonly gatewayCa: string | readonly string[];
  /** Where the key (0600) and certificate live; created on first start. */
  readonly keyDir?: string;
  /** 32-byte Ed25519 seed: a deterministic identity. */
  readonly keySeed?: Uint8Array;
  /** A CA-issued certificate for the device key, instead of a self-signed one. */
  readonly certificatePem?: string;
  /** An identity made beforehand (the fleet runner creates them in bulk); overrides keyDir / keySeed. */
  readonly identity?: DeviceIdentity;
  readonly firmware?: string;
  readonly board?: string;
  readonly arch?: string;
  readonly ramBytes?: number;
  /** Receive limit announced in Hello. */
  readonly maxFrameBytes?: number;
  readonly runtime?: Partial<RuntimeConfig>;
  /**
   * Makes random_u32 of this device's apps reproducible (seed per app and run);
   * default unpredictable. Sensors always follow the ABI's simulation model.
   */
  readonly randomSeed?: number;
  /** Manifests from other publishers are refused (untrusted_publisher); default: any publisher. */
  readonly trustedPublisherKeys?: readonly Uint8Array[];
  readonly reconnectBackoff?: BackoffPolicy;
  /** After Rejected: stay rejected (default) or keep retrying with backoff. */
  readonly onRejected?: RejectedPolicy;
  /**
   * Announce the protocol's "redirect" feature and follow a Bye's endpoint to another
   * gateway (default true); false behaves as a device without the feature.
   */
  readonly followRedirects?: boolean;
  readonly connectTimeoutMs?: number;
  readonly enrollmentReplyTimeoutMs?: number;
  readonly pendingHoldMs?: number;
  readonly restartDefaults?: RestartPolicy;
  readonly workerResourceLimits?: ResourceLimits;
  readonly logRate?: { readonly perSecond: number; readonly burst: number };
}

export const SIM_DEVICE_DEFAULTS = Object.freeze({
  firmware: 'wasmbed-sim/0.1.0',
  board: 'sim-board',
  arch: 'wasm32-sim',
  ramBytes: 4 * 1024 * 1024,
  maxFrameBytes: 32 * 1024,
  maxModuleBytes: 256 * 1024,
  maxInstances: 4,
  connectTimeoutMs: 10_000,
});

const RUNTIME_NAME = 'wasmbed-sim-v8';
const RUNTIME_VERSION = '0.1.0';

export interface SimDeviceEvents {
  state: [state: DeviceState];
  welcome: [body: WelcomeBody];
  received: [message: GatewayMessage];
  sent: [message: DeviceMessage];
  appStatus: [appId: string, change: AppStatusChange];
  appLog: [appId: string, record: LogRecord];
  sessionEnded: [outcome: SessionOutcome];
  /** A Bye moved the device: it connects to this gateway next. */
  redirected: [endpoint: string];
  /** A connection attempt failed before a session started (TCP, TLS, certificate). */
  connectFailed: [error: Error];
}

/**
 * A simulated MCU: a persistent Ed25519 identity, the device protocol over TLS 1.3
 * with reconnects, and a WebAssembly runtime running each app in a worker thread.
 * Apps keep running across reconnects, as on a real device.
 */
export class SimDevice extends EventEmitter<SimDeviceEvents> {
  private current: DeviceState = 'disconnected';
  private identity?: DeviceIdentity;
  private secureContext?: SecureContext;
  private session?: DeviceSession;
  private loop?: Promise<void>;
  private stopping = false;
  private runningAtStop: string[] = [];
  private wake?: () => void;
  private welcomeBody?: WelcomeBody;
  private lastOutcome?: SessionOutcome;
  private readonly startedAt = performance.now();
  private readonly endpoints: GatewayEndpoints;
  private readonly runtime: RuntimeConfig;
  private readonly backoff: Backoff;
  private readonly clock = new DeviceClock();
  private readonly transfers = new ModuleTransfers();
  readonly apps: AppHost;

  constructor(readonly config: SimDeviceConfig) {
    super();
    this.endpoints = new GatewayEndpoints(config.gateway);
    this.runtime = {
      maxModuleBytes: config.runtime?.maxModuleBytes ?? SIM_DEVICE_DEFAULTS.maxModuleBytes,
      maxInstances: config.runtime?.maxInstances ?? SIM_DEVICE_DEFAULTS.maxInstances,
      hostFunctions: [...new Set(config.runtime?.hostFunctions ?? ALL_HOST_FUNCTIONS)].sort(),
    };
    validateConfig(config, this.runtime);
    this.backoff = new Backoff(config.reconnectBackoff ?? DEFAULT_RECONNECT_BACKOFF);
    this.apps = new AppHost({
      maxInstances: this.runtime.maxInstances,
      ramBytes: config.ramBytes ?? SIM_DEVICE_DEFAULTS.ramBytes,
      randomSeed: config.randomSeed,
      restartDefaults: config.restartDefaults,
      workerResourceLimits: config.workerResourceLimits,
      logRate: config.logRate,
      listener: {
        status: (app, change) => this.appStatusChanged(app, change),
        log: (app, record) => {
          this.session?.reportLog(app, record);
          this.emit('appLog', app.appId, record);
        },
      },
    });
  }

  get state(): DeviceState {
    return this.current;
  }

  /** The deviceId the gateway assigned (last Welcome). */
  get deviceId(): string | undefined {
    return this.welcomeBody?.deviceId;
  }

  get welcome(): WelcomeBody | undefined {
    return this.welcomeBody;
  }

  get publicKeyHex(): string | undefined {
    return this.identity?.keyPair.publicKeyHex;
  }

  get certificatePem(): string | undefined {
    return this.identity?.certPem;
  }

  /** "host:port" of the gateway the device dials now: the provisioned one unless a Bye moved it. */
  get gatewayEndpoint(): string {
    return this.endpoints.current.endpoint;
  }

  /** How the last session ended. */
  get lastSessionOutcome(): SessionOutcome | undefined {
    return this.lastOutcome;
  }

  appSummaries(): AppSummary[] {
    return this.apps.summaries();
  }

  /** Loads (or creates) the identity and starts connecting; resolves once the first attempt is under way. */
  async start(): Promise<void> {
    if (this.loop) return;
    this.stopping = false;
    this.identity ??=
      this.config.identity ??
      (await loadOrCreateDeviceIdentity({
        deviceId: this.config.name,
        keyDir: this.config.keyDir,
        keySeed: this.config.keySeed,
        certificatePem: this.config.certificatePem,
      }));
    this.secureContext ??= createSecureContext({
      ca: typeof this.config.gatewayCa === 'string' ? this.config.gatewayCa : [...this.config.gatewayCa],
      cert: this.identity.certPem,
      key: this.identity.keyPair.privateKeyPem,
      minVersion: 'TLSv1.3',
    });
    // A power cycle: the apps that ran at stop() start again from their stored modules, as on a device booting from flash.
    await this.apps.boot(this.runningAtStop.splice(0));
    this.loop = this.run();
  }

  /** Disconnects, stops every app, and resolves when all is quiet. A later start() boots the apps that were running. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    this.session?.close();
    await this.loop;
    this.loop = undefined;
    this.runningAtStop = await this.apps.stopAll();
    this.setState('disconnected');
  }

  /** Resolves when the device reaches `state` (at once if it is there). */
  waitForState(state: DeviceState): Promise<void> {
    if (this.current === state) return Promise.resolve();
    return new Promise((resolve) => {
      const onState = (s: DeviceState): void => {
        if (s !== state) return;
        this.off('state', onState);
        resolve();
      };
      this.on('state', onState);
    });
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      this.setState('connecting');
      const outcome = await this.connectOnce();
      if (this.stopping) break;
      this.endpoints.attemptEnded((outcome?.establishedForMs ?? null) !== null);
      const next = nextAttempt(outcome, this.backoff, this.config.onRejected, this.followsRedirects);
      if (next.redirect !== undefined) {
        this.endpoints.redirect(next.redirect);
        this.emit('redirected', next.redirect);
      }
      this.setState(next.state);
      if (next.delayMs === null) return;
      await this.sleep(next.delayMs);
    }
  }

  private async connectOnce(): Promise<SessionOutcome | null> {
    let socket;
    try {
      const { host, port } = this.endpoints.current;
      socket = await connectTls({
        host,
        port,
        secureContext: this.secureContext!,
        timeoutMs: this.config.connectTimeoutMs ?? SIM_DEVICE_DEFAULTS.connectTimeoutMs,
      });
    } catch (err) {
      this.emit('connectFailed', err as Error);
      return null;
    }
    if (this.stopping) {
      socket.destroy();
      return null;
    }
    const session = new DeviceSession(socket, {
      hello: () => this.hello(),
      apps: this.apps,
      transfers: this.transfers,
      deployPolicy: {
        runtime: this.runtime,
        ramBytes: this.config.ramBytes ?? SIM_DEVICE_DEFAULTS.ramBytes,
        trustedPublisherKeys: this.config.trustedPublisherKeys,
      },
      maxFrameBytes: this.config.maxFrameBytes ?? SIM_DEVICE_DEFAULTS.maxFrameBytes,
      clock: this.clock,
      enrollmentReplyTimeoutMs: this.config.enrollmentReplyTimeoutMs ?? ENROLLMENT_REPLY_TIMEOUT_MS,
      pendingHoldMs: this.config.pendingHoldMs ?? PENDING_HOLD_MS + 30_000,
      uptimeMs: () => performance.now() - this.startedAt,
      phaseChanged: (phase, welcome) => this.sessionPhaseChanged(phase, welcome),
      received: (message) => this.emit('received', message),
      sent: (message) => this.emit('sent', message),
    });
    this.session = session;
    const outcome = await session.outcome;
    this.session = undefined;
    this.lastOutcome = outcome;
    this.emit('sessionEnded', outcome);
    return outcome;
  }

  private hello(): HelloBody {
    return {
      firmware: this.config.firmware ?? SIM_DEVICE_DEFAULTS.firmware,
      board: this.config.board ?? SIM_DEVICE_DEFAULTS.board,
      arch: this.config.arch ?? SIM_DEVICE_DEFAULTS.arch,
      ramBytes: this.config.ramBytes ?? SIM_DEVICE_DEFAULTS.ramBytes,
      maxFrameBytes: this.config.maxFrameBytes ?? SIM_DEVICE_DEFAULTS.maxFrameBytes,
      runtime: { name: RUNTIME_NAME, version: RUNTIME_VERSION, ...this.runtime },
      apps: this.apps.summaries(),
      ...(this.followsRedirects ? { features: [DEVICE_FEATURES.redirect] } : {}),
    };
  }

  private get followsRedirects(): boolean {
    return this.config.followRedirects ?? true;
  }

  private sessionPhaseChanged(phase: SessionPhase, welcome?: WelcomeBody): void {
    if (phase === 'established' && welcome) {
      this.welcomeBody = welcome;
      this.setState('connected');
      this.emit('welcome', welcome);
    } else if (phase === 'enrolling' || phase === 'pending') {
      this.setState('enrolling');
    }
  }

  private appStatusChanged(app: InstalledApp, change: AppStatusChange): void {
    this.session?.reportStatus(app, change);
    this.emit('appStatus', app.appId, change);
  }

  private setState(state: DeviceState): void {
    if (state === this.current) return;
    this.current = state;
    this.emit('state', state);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }
}

/** Refuses values the protocol could not carry (they would fail later, at Hello). */
function validateConfig(config: SimDeviceConfig, runtime: RuntimeConfig): void {
  const problems: string[] = [];
  const maxFrameBytes = config.maxFrameBytes ?? SIM_DEVICE_DEFAULTS.maxFrameBytes;
  if (!Number.isInteger(maxFrameBytes) || maxFrameBytes < MIN_DEVICE_FRAME_BYTES || maxFrameBytes > MAX_U32) {
    problems.push(`maxFrameBytes must be an integer in [${MIN_DEVICE_FRAME_BYTES}, ${MAX_U32}]`);
  }
  if (!Number.isInteger(runtime.maxInstances) || runtime.maxInstances < 0 || runtime.maxInstances > MAX_APPS) {
    problems.push(`runtime.maxInstances must be an integer in [0, ${MAX_APPS}]`);
  }
  if (!Number.isInteger(runtime.maxModuleBytes) || runtime.maxModuleBytes < 0 || runtime.maxModuleBytes > MAX_U32) {
    problems.push(`runtime.maxModuleBytes must be an integer in [0, ${MAX_U32}]`);
  }
  const ramBytes = config.ramBytes ?? SIM_DEVICE_DEFAULTS.ramBytes;
  if (!Number.isSafeInteger(ramBytes) || ramBytes < 0) problems.push('ramBytes must be a non-negative integer');
  if (config.keySeed !== undefined && config.keySeed.length !== 32) problems.push('keySeed must be 32 bytes');
  if (problems.length > 0) throw new SimDeviceConfigError(`invalid device ${JSON.stringify(config.name)}: ${problems.join('; ')}`);
}

export type { SessionEnd, SessionOutcome };
