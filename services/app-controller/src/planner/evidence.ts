import type { ControllerView, DeviceAttempt } from '../view/types';
import { reportKey } from '../view/types';
import { clipReason, describeDeviceError, holdsModule, isFinalFailure, type TargetModule } from './attestation';

/** What the device's reports say about one module, and when they said it. */
export type Evidence = { readonly kind: 'running'; readonly at: number } | { readonly kind: 'failed'; readonly at: number; readonly reason: string };

export interface EvidenceWindow {
  /** Status messages and replies older than this are about an earlier deployment and are ignored. */
  readonly notBefore: number;
  /** The liveness bucket showing the module running counts however long it has been so. */
  readonly runningAnyTime: boolean;
  /**
   * The liveness bucket showing the module failed counts only if it turned so at
   * or after this; null: not at all. (A failure from before our Deploy reached
   * the device is about an earlier run.)
   */
  readonly livenessFailuresFrom: number | null;
  /** This process' deploy attempt for the module: a rejected reply is a failure. */
  readonly attempt: DeviceAttempt | undefined;
}

function failedApp(restarts: number, error: Parameters<typeof describeDeviceError>[0]): string {
  const after = restarts > 0 ? ` after ${restarts} restart${restarts === 1 ? '' : 's'}` : '';
  return `app failed${after}: ${describeDeviceError(error)}`;
}

/**
 * The latest thing the device said about `module` for `appId`: running (the
 * liveness bucket shows it running, or a DeployResult ok with its hash) or
 * failed (DeployResult not ok or with another hash, AppStatus failed for good,
 * the liveness bucket showing it failed for good, or a deploy the gateway refused).
 */
export function latestEvidence(view: ControllerView, appId: string, device: string, module: TargetModule, window: EvidenceWindow): Evidence | null {
  const found: Evidence[] = [];
  const fresh = (at: number) => at >= window.notBefore;

  const attested = view.attested.get(device)?.apps.get(appId);
  if (holdsModule(attested, module)) {
    if (attested.state === 'running' && (window.runningAnyTime || fresh(attested.since))) found.push({ kind: 'running', at: attested.since });
    const failedFrom = window.livenessFailuresFrom;
    if (attested.state === 'failed' && failedFrom !== null && attested.since >= failedFrom && isFinalFailure(attested.restarts, module.restart)) {
      found.push({ kind: 'failed', at: attested.since, reason: failedApp(attested.restarts, attested.error) });
    }
  }

  const reports = view.reports.get(reportKey(device, appId));
  const deploy = reports?.deploy;
  if (deploy?.revision === module.revision && fresh(deploy.receivedAt)) {
    if (!deploy.ok) found.push({ kind: 'failed', at: deploy.receivedAt, reason: `deploy failed on the device: ${describeDeviceError(deploy.error)}` });
    else if (deploy.sha256 === module.sha256) found.push({ kind: 'running', at: deploy.receivedAt });
    else found.push({ kind: 'failed', at: deploy.receivedAt, reason: `the device runs module ${deploy.sha256 ?? '(unknown)'} instead of ${module.sha256}` });
  }
  const status = reports?.status;
  if (status?.revision === module.revision && fresh(status.receivedAt) && status.state === 'failed' && isFinalFailure(status.restarts, module.restart)) {
    found.push({ kind: 'failed', at: status.receivedAt, reason: failedApp(status.restarts, status.error) });
  }

  const attempt = window.attempt;
  if (attempt?.lastReply === 'rejected' && attempt.revision === module.revision && attempt.lastSentAt !== null && fresh(attempt.lastSentAt)) {
    found.push({ kind: 'failed', at: attempt.lastSentAt, reason: `deploy refused: ${attempt.lastError ?? 'no reason given'}` });
  }

  let latest: Evidence | null = null;
  for (const evidence of found) if (latest === null || evidence.at >= latest.at) latest = evidence;
  return latest === null || latest.kind === 'running' ? latest : { ...latest, reason: clipReason(latest.reason) };
}
