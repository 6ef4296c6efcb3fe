import type { DeviceStatusMessage, LivenessApp, LivenessRecord } from '@wasmbed/device-bus';
import type { AttestedApp, AttestedDevice, DeviceAppReports } from './types';

function sameReport(before: AttestedApp, app: LivenessApp): boolean {
  return before.revision === app.revision && before.sha256 === app.sha256 && before.state === app.state && before.restarts === app.restarts;
}

/**
 * Folds a liveness record (received at `at`) into what the device attests. An
 * app keeps its `since` while the device reports it unchanged within one
 * session, so the planner can tell a lasting state from a record that lagged;
 * a new session starts every app afresh.
 */
export function foldLivenessRecord(before: AttestedDevice | undefined, record: LivenessRecord, at: number): AttestedDevice {
  const previous = before?.sessionId === record.sessionId ? before : undefined;
  const apps = new Map<string, AttestedApp>();
  for (const app of record.apps) {
    const known = previous?.apps.get(app.appId);
    const since = known !== undefined && sameReport(known, app) ? known.since : at;
    apps.set(app.appId, { revision: app.revision, sha256: app.sha256, state: app.state, restarts: app.restarts, error: app.error ?? null, since });
  }
  const goneSince = new Map(previous?.goneSince ?? []);
  for (const appId of previous?.apps.keys() ?? []) if (!apps.has(appId) && !goneSince.has(appId)) goneSince.set(appId, at);
  for (const appId of apps.keys()) goneSince.delete(appId);
  return { sessionId: record.sessionId, receivedAt: at, apps, sessionSeenAt: previous?.sessionSeenAt ?? at, goneSince };
}

/** Keeps the latest status message of each kind about one app on one device. */
export function foldStatusMessage(before: DeviceAppReports | undefined, message: DeviceStatusMessage, at: number): DeviceAppReports {
  const error = message.error ?? null;
  const base = { ...before, appId: message.appId };
  switch (message.type) {
    case 'DeployResult':
      return { ...base, deploy: { revision: message.revision, ok: message.ok, sha256: message.sha256 ?? null, error, receivedAt: at } };
    case 'AppStatus':
      return { ...base, status: { revision: message.revision, state: message.state, restarts: message.restarts, error, receivedAt: at } };
    case 'StopResult':
      return { ...base, stop: { ok: message.ok, error, receivedAt: at } };
  }
}
