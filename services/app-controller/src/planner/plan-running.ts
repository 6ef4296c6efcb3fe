import type { DeviceDeployment } from '@wasmbed/domain';
import type { Action } from './actions';
import { mismatchSince } from './attestation';
import { attemptFor, deployScope, mayResend } from './attempts';
import type { RolloutPlan } from './context';
import { latestEvidence } from './evidence';
import { recordFailed, recordRunning } from './outcome-commands';

/**
 * A device recorded Running with the rollout's revision. A failure it reports
 * afterwards (for good: its restart policy is spent) is recorded; a device that
 * is connected but has lost the module, or holds another one (rebooted, stale
 * after a reconnect), gets it again once that has lasted driftGraceMs, with the
 * retry back-off. The domain records nothing for such a redeploy: the device
 * stays Running, which is what it will be again.
 */
export function planRunningDevice(p: RolloutPlan, device: string, record: DeviceDeployment): Action[] {
  const since = Date.parse(record.since);
  const attempt = attemptFor(p.view, 'deploy', p.app.applicationId, device, deployScope(p.rollout.rollout));
  const evidence = latestEvidence(p.view, p.app.applicationId, device, p.module, {
    notBefore: since,
    runningAnyTime: false,
    livenessFailuresFrom: since,
    attempt,
  });
  if (evidence?.kind === 'failed') return [recordFailed(p, device, evidence.reason)];

  const attested = p.view.attested.get(device);
  const missingSince = attested === undefined ? null : mismatchSince(attested, p.app.applicationId, p.module);
  if (missingSince === null || p.now - missingSince < p.settings.driftGraceMs) return [];
  if (attempt !== undefined && !mayResend(attempt, attested, p.now, p.settings.retry)) return [];
  return [
    { kind: 'deploy', appId: p.app.applicationId, device, rollout: p.rollout.rollout, revision: p.module.revision, recordStarted: false, purpose: 'drift' },
  ];
}

/** After a rollout, a device recorded Failed that is seen running the revision since is recorded Running again. */
export function planRecoveredDevice(p: RolloutPlan, device: string, record: DeviceDeployment): Action[] {
  const since = Date.parse(record.since);
  const evidence = latestEvidence(p.view, p.app.applicationId, device, p.module, {
    notBefore: since,
    runningAnyTime: false,
    livenessFailuresFrom: since,
    attempt: undefined,
  });
  return evidence?.kind === 'running' && evidence.at > since ? [recordRunning(p, device)] : [];
}
