import type { LivenessApp } from '@wasmbed/device-bus';
import type { AppStatusBody, AppSummary } from '@wasmbed/protocol';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

function sameApp(a: LivenessApp, b: LivenessApp): boolean {
  return (
    a.revision === b.revision &&
    a.sha256 === b.sha256 &&
    a.state === b.state &&
    a.restarts === b.restarts &&
    a.error?.code === b.error?.code &&
    a.error?.message === b.error?.message
  );
}

/**
 * What one session's device last said about its apps. Heartbeats repeat the
 * whole list; only differences are news (published as status), so a steady
 * device costs a periodic liveness write and nothing else.
 */
export class AppTracker {
  private readonly apps = new Map<string, LivenessApp>();
  private changes = 0;

  /** Grows with every change of the list: a liveness record written at another version is out of date. */
  get version(): number {
    return this.changes;
  }

  /** Sorted by appId, as the liveness record holds them. */
  list(): LivenessApp[] {
    return [...this.apps.values()].sort((a, b) => (a.appId < b.appId ? -1 : a.appId > b.appId ? 1 : 0));
  }

  /** Replaces the whole list (Hello, Heartbeat); returns the apps that are new or changed. */
  replaceAll(summaries: readonly AppSummary[]): LivenessApp[] {
    // The common heartbeat of a device without apps: nothing to compare.
    if (summaries.length === 0 && this.apps.size === 0) return [];
    const changed: LivenessApp[] = [];
    const seen = new Set<string>();
    for (const summary of summaries) {
      const app = fromSummary(summary);
      seen.add(app.appId);
      const before = this.apps.get(app.appId);
      if (before === undefined || !sameApp(before, app)) changed.push(app);
      this.apps.set(app.appId, app);
    }
    let removed = 0;
    for (const appId of [...this.apps.keys()]) if (!seen.has(appId) && this.apps.delete(appId)) removed++;
    if (changed.length + removed > 0) this.changes++;
    return changed;
  }

  /** An AppStatus message; returns whether it changed what was known (false also when the module hash is unknown yet). */
  applyStatus(status: AppStatusBody): boolean {
    const before = this.apps.get(status.appId);
    const sha256 = before?.revision === status.revision ? before.sha256 : this.moduleOf(status.appId, status.revision);
    if (sha256 === undefined) return false;
    const app: LivenessApp = { appId: status.appId, revision: status.revision, sha256, state: status.state, restarts: status.restarts, ...(status.error ? { error: status.error } : {}) };
    if (before !== undefined && sameApp(before, app)) return false;
    this.apps.set(app.appId, app);
    this.changes++;
    return true;
  }

  /** A successful DeployResult: the app now runs this module. */
  deployed(appId: string, revision: number, sha256: Uint8Array): void {
    const before = this.apps.get(appId);
    this.apps.set(appId, { appId, revision, sha256: hex(sha256), state: before?.state ?? 'starting', restarts: 0 });
    this.changes++;
  }

  stopped(appId: string): void {
    const before = this.apps.get(appId);
    if (before === undefined) return;
    this.apps.set(appId, { ...before, state: 'stopped' });
    this.changes++;
  }

  /** Created with the first deploy: most sessions never see one. */
  private modules?: Map<string, string>;

  /** Remembers which module a deploy of appId@revision carries, for AppStatus before the next heartbeat. */
  rememberModule(appId: string, revision: number, sha256Hex: string): void {
    (this.modules ??= new Map()).set(`${appId}@${revision}`, sha256Hex);
  }

  private moduleOf(appId: string, revision: number): string | undefined {
    return this.modules?.get(`${appId}@${revision}`);
  }
}

function fromSummary(s: AppSummary): LivenessApp {
  return { appId: s.appId, revision: s.revision, sha256: hex(s.sha256), state: s.state, restarts: s.restarts, ...(s.error ? { error: s.error } : {}) };
}
