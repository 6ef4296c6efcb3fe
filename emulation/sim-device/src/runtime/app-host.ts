import type { ResourceLimits } from 'node:worker_threads';
import type { LogRecord, PreparedModule } from '@wasmbed/example-apps';
import { MAX_APPS, moduleSha256, type AppSummary, type ErrorInfo, type Manifest } from '@wasmbed/protocol';
import { LogRateLimiter } from '../support/token-bucket';
import { AppSupervisor, type AppStatusChange, type StartResult } from './app-supervisor';
import { DEFAULT_RESTART_POLICY, restartPolicyOf, type RestartPolicy } from './restart-policy';
import type { WorkerStartGate } from './worker-start-gate';

export interface AppHostListener {
  status(app: InstalledApp, change: AppStatusChange): void;
  log(app: InstalledApp, record: LogRecord): void;
}

export interface AppHostOptions {
  /** Apps that may be starting or running at once. */
  readonly maxInstances: number;
  /** Memory limits of active apps must fit in this. */
  readonly ramBytes: number;
  /** Makes random_u32 reproducible (per device, app and run); default unpredictable seeds. */
  readonly randomSeed?: number;
  readonly restartDefaults?: RestartPolicy;
  readonly workerResourceLimits?: ResourceLimits;
  /** Bounds the app workers starting at once; default one gate for the whole process, sized to its cores. */
  readonly workerStarts?: WorkerStartGate;
  /** Per app; lines beyond it are dropped and counted. Default 20/s, bursts of 50. */
  readonly logRate?: { readonly perSecond: number; readonly burst: number };
  readonly listener: AppHostListener;
}

export interface InstalledApp {
  readonly appId: string;
  readonly revision: number;
  readonly manifest: Manifest;
  /** SHA-256 of the bytes actually instantiated (not copied from the manifest). */
  readonly sha256: Uint8Array;
  readonly supervisor: AppSupervisor;
  /** What install() was given, kept as a device keeps modules in flash: a reboot starts them again. */
  readonly moduleBytes: Uint8Array;
  readonly prepared: PreparedModule;
}

const ACTIVE = new Set(['starting', 'running']);

/** The apps of one device: admission against its limits, install, replace, stop. */
export class AppHost {
  private readonly apps = new Map<string, InstalledApp>();

  constructor(private readonly options: AppHostOptions) {}

  /** What Hello and Heartbeat report. */
  summaries(): AppSummary[] {
    return [...this.apps.values()].map((app) => {
      const { state, restarts, error } = app.supervisor.state;
      return { appId: app.appId, revision: app.revision, sha256: app.sha256, state, restarts, ...(error ? { error } : {}) };
    });
  }

  get(appId: string): InstalledApp | undefined {
    return this.apps.get(appId);
  }

  /** Runs exactly this module already (a repeated Deploy): nothing to do. */
  isActive(appId: string, revision: number, sha256: Uint8Array): boolean {
    const app = this.apps.get(appId);
    return !!app && app.revision === revision && Buffer.from(app.sha256).equals(sha256) && ACTIVE.has(app.supervisor.state.state);
  }

  /** RAM not reserved by the memory limits of active apps. */
  get freeMemoryBytes(): number {
    return Math.max(0, this.options.ramBytes - this.reservedBytes());
  }

  /** Why this app cannot be added now (instances, memory), or null. An app replacing itself frees its own share. */
  admit(appId: string, manifest: Manifest): ErrorInfo | null {
    const others = [...this.apps.values()].filter((a) => a.appId !== appId && ACTIVE.has(a.supervisor.state.state));
    if (others.length >= this.options.maxInstances) {
      return { code: 'limit_exceeded', message: `device runs its maximum of ${this.options.maxInstances} apps` };
    }
    const free = this.options.ramBytes - this.reservedBytes(appId);
    if (manifest.memoryLimitBytes > free) {
      return { code: 'limit_exceeded', message: `memory limit of ${manifest.memoryLimitBytes} bytes exceeds the ${free} bytes free` };
    }
    return null;
  }

  /** Replaces any app of the same id, then starts this one; resolves once it runs or failed to start. */
  async install(manifest: Manifest, appId: string, moduleBytes: Uint8Array, prepared: PreparedModule): Promise<StartResult> {
    const policy = restartPolicyOf(manifest, this.options.restartDefaults ?? DEFAULT_RESTART_POLICY);
    await this.stop(appId);
    const refused = this.admit(appId, manifest);
    if (refused) return { ok: false, error: refused };

    const seed = this.options.randomSeed === undefined ? undefined : (this.options.randomSeed ^ hashOf(appId)) >>> 0;
    const limiter = new LogRateLimiter(this.options.logRate?.perSecond ?? 20, this.options.logRate?.burst ?? 50);
    const app: InstalledApp = {
      appId,
      revision: manifest.revision,
      manifest,
      sha256: moduleSha256(moduleBytes),
      moduleBytes,
      prepared,
      supervisor: new AppSupervisor(
        {
          prepared,
          entryPoint: manifest.entryPoint,
          config: manifest.config.env,
          cpuTimeLimitMs: manifest.cpuTimeLimitMs,
          randomSeed: seed,
          resourceLimits: this.options.workerResourceLimits,
        },
        policy,
        {
          status: (change) => {
            // A run that ended will not log again: report its dropped lines now.
            if (change.state !== 'running') for (const note of limiter.flush(droppedNote)) this.options.listener.log(app, note);
            this.options.listener.status(app, change);
          },
          log: (record) => {
            for (const line of limiter.admit(record, droppedNote)) this.options.listener.log(app, line);
          },
        },
        this.options.workerStarts,
      ),
    };
    this.apps.delete(appId); // re-inserted last: the map's order is install order
    this.apps.set(appId, app);
    this.forgetOldestInactive();
    return app.supervisor.start();
  }

  /** Stops an app; false when the device does not have it. The app stays listed as stopped until replaced. */
  async stop(appId: string): Promise<boolean> {
    const app = this.apps.get(appId);
    if (!app) return false;
    await app.supervisor.stop();
    return true;
  }

  /** Stops every app; returns the ids of those that were active, which a reboot starts again. */
  async stopAll(): Promise<string[]> {
    const active = [...this.apps.values()].filter((a) => ACTIVE.has(a.supervisor.state.state)).map((a) => a.appId);
    await Promise.all([...this.apps.keys()].map((appId) => this.stop(appId)));
    return active;
  }

  /** Boot: starts the given apps again from their stored module, with fresh runs and restart counts. */
  async boot(appIds: readonly string[]): Promise<void> {
    for (const appId of appIds) {
      const app = this.apps.get(appId);
      if (app) await this.install(app.manifest, appId, app.moduleBytes, app.prepared);
    }
  }

  /** Hello and Heartbeat carry at most MAX_APPS apps: stopped and failed ones beyond that are forgotten, oldest first. */
  private forgetOldestInactive(): void {
    for (const app of this.apps.values()) {
      if (this.apps.size <= MAX_APPS) return;
      if (!ACTIVE.has(app.supervisor.state.state)) this.apps.delete(app.appId);
    }
  }

  private reservedBytes(exceptAppId?: string): number {
    let sum = 0;
    for (const app of this.apps.values()) {
      if (app.appId !== exceptAppId && ACTIVE.has(app.supervisor.state.state)) sum += app.manifest.memoryLimitBytes;
    }
    return sum;
  }
}

function droppedNote(count: number): LogRecord {
  return { level: 'warn', message: `${count} log line(s) dropped by the device's rate limit`, truncated: false };
}

/** FNV-1a of the app id: a per-app seed, stable across restarts and devices. */
function hashOf(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}
