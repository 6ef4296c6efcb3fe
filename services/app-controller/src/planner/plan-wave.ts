import { deviceDeployment } from '@wasmbed/domain';
import type { Action } from './actions';
import { holdsModule, mismatchSince, runsModule } from './attestation';
import { attemptFor, deployScope, mayResend } from './attempts';
import type { RolloutPlan } from './context';
import { latestEvidence } from './evidence';
import { recordFailed, recordRunning } from './outcome-commands';
import { retryDelayMs } from './settings';

/**
 * A device of the current wave without an outcome in this rollout. Not started:
 * recorded Running at once if it already runs the module, else deployed (the
 * executor records DeviceDeploymentStarted before it sends), unless the rollout
 * is paused. Deploying: its reports decide Running or Failed; without any, it is
 * sent the Deploy again after the retry back-off counted from its last send (or
 * from startedAt when this process never sent it, e.g. after a restart), and
 * recorded Failed once deployTimeoutMs have passed since startedAt.
 */
export function planWaveDevice(p: RolloutPlan, device: string): Action[] {
  const appId = p.app.applicationId;
  const record = deviceDeployment(p.app, device);
  const deploying = record?.rollout === p.rollout.rollout && record.status === 'Deploying' ? record : undefined;
  const attempt = attemptFor(p.view, 'deploy', appId, device, deployScope(p.rollout.rollout));
  const startedAt = deploying !== undefined ? Date.parse(deploying.since) : (attempt?.startedAt ?? null);
  const attested = p.view.attested.get(device);
  const held = attested?.apps.get(appId);
  const deploy = (recordStarted: boolean): Action => ({
    kind: 'deploy',
    appId,
    device,
    rollout: p.rollout.rollout,
    revision: p.module.revision,
    recordStarted,
    purpose: recordStarted ? 'rollout' : 'retry',
  });

  // A revoked device will never answer; waiting for the timeout would only hold the wave.
  if (p.view.devices.get(device)?.status === 'Revoked') return [recordFailed(p, device, 'the device is revoked')];

  if (startedAt === null) {
    if (runsModule(held, p.module)) return [recordRunning(p, device)];
    if (attempt?.lastReply === 'rejected') return [recordFailed(p, device, `deploy refused: ${attempt.lastError ?? 'no reason given'}`)];
    if (p.rollout.status !== 'InProgress') return [];
    if (attempt !== undefined && !mayResend(attempt, attested, p.now, p.settings.retry)) return [];
    return [deploy(true)];
  }

  const evidence = latestEvidence(p.view, appId, device, p.module, {
    notBefore: startedAt,
    runningAnyTime: true,
    livenessFailuresFrom: attempt?.lastSentAt ?? null,
    attempt,
  });
  if (evidence?.kind === 'running') return [recordRunning(p, device)];
  if (evidence?.kind === 'failed') return [recordFailed(p, device, evidence.reason)];
  if (p.now - startedAt >= p.settings.deployTimeoutMs) return [recordFailed(p, device, timedOut(p.settings.deployTimeoutMs, attempt?.lastError ?? null))];

  // Installing or restarting the right module: an answer is on its way.
  if (holdsModule(held, p.module) && held.state === 'starting') return [];
  const due = attempt !== undefined ? mayResend(attempt, attested, p.now, p.settings.retry) : p.now >= startedAt + retryDelayMs(p.settings.retry, 1);
  return due ? [deploy(false)] : [];
}

function timedOut(timeoutMs: number, lastError: string | null): string {
  return `deploy timed out: no outcome within ${Math.round(timeoutMs / 1000)} s (${lastError ?? 'the device never reported one'})`;
}

/**
 * AdvanceWave once every device of the current wave has an outcome in this
 * rollout and the health gate has passed since the last of them, as long as
 * every connected device of the wave recorded Running still holds the module
 * (one being redeployed holds the gate). The domain checks the same rule.
 */
export function planAdvance(p: RolloutPlan): Action[] {
  const { rollout } = p;
  const waveIndex = rollout.currentWave;
  let settledAt = Number.NEGATIVE_INFINITY;
  for (const device of rollout.waves[waveIndex] ?? []) {
    const record = deviceDeployment(p.app, device);
    if (record?.rollout !== rollout.rollout || (record.status !== 'Running' && record.status !== 'Failed')) return [];
    settledAt = Math.max(settledAt, Date.parse(record.since));
    const attested = p.view.attested.get(device);
    if (record.status === 'Running' && attested !== undefined && mismatchSince(attested, p.app.applicationId, p.module) !== null) return [];
  }
  if (p.now < settledAt + rollout.strategy.healthGateSeconds * 1000) return [];
  return [
    p.command(`AdvanceWave/r${rollout.rollout}/w${waveIndex}`, {
      type: 'AdvanceWave',
      data: { applicationId: p.app.applicationId, rollout: rollout.rollout, waveIndex },
    }),
  ];
}
