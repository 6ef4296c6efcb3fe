import { reportKey } from '../view/types';
import type { Action } from './actions';
import { isGone } from './attestation';
import { attemptFor, mayResend, windDownScope } from './attempts';
import type { AppPlan } from './context';

/**
 * Stopping or Deleting: every device still listed is sent StopOnDevice (again
 * after the retry back-off, or at once when it reconnects) and recorded
 * Stopped once its StopResult is ok or a connected device no longer runs the
 * app. A delete that has waited deleteTimeoutMs for unreachable devices is
 * finished with ConfirmDeleted (the domain records them as abandoned).
 */
export function planWindDown(p: AppPlan): Action[] {
  const appId = p.app.applicationId;
  const scope = windDownScope(p.entry.windDownRequestedAt);
  const actions: Action[] = [];
  for (const device of p.app.pendingStop) {
    const attested = p.view.attested.get(device);
    const attempt = attemptFor(p.view, 'stop', appId, device, scope);
    const stopReport = p.view.reports.get(reportKey(device, appId))?.stop;
    const confirmed =
      (attested !== undefined && isGone(attested, appId)) ||
      (stopReport?.ok === true && attempt?.firstSentAt != null && stopReport.receivedAt >= attempt.firstSentAt);
    if (confirmed) {
      actions.push(p.command(`RecordDeviceStopped/${device}`, { type: 'RecordDeviceStopped', data: { applicationId: appId, device } }));
    } else if (attempt === undefined || mayResend(attempt, attested, p.now, p.settings.retry)) {
      actions.push({ kind: 'stop', appId, device, purpose: 'wind-down', scope });
    }
  }
  const requestedAt = p.entry.windDownRequestedAt;
  if (p.app.phase === 'Deleting' && p.app.pendingStop.length > 0 && requestedAt !== null && p.now >= requestedAt + p.settings.deleteTimeoutMs) {
    actions.push(p.command('ConfirmDeleted', { type: 'ConfirmDeleted', data: { applicationId: appId } }));
  }
  return actions;
}
