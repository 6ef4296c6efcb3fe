// Test-only: application commands, specs and histories.
import type { ApplicationCommand } from '../application/commands';
import type { ApplicationEvent } from '../application/events';
import { applicationDecider } from '../application/decider';
import { requireSpec, type ApplicationSpec, type ApplicationSpecInput, type RolloutStrategy } from '../application/spec';
import { addSeconds } from '../shared/time';
import { KEY_B, SHA_1, SHA_2, SIGNATURE, T0, commandsOf, eventsOf } from './fixtures';

export const cmd = commandsOf<ApplicationCommand>();
export const APP = 'thermo';

/** Canary of 1, then batches of 2, a one-minute gate and no tolerated failure. */
export const STRATEGY: RolloutStrategy = { canary: 1, batchSize: 2, healthGateSeconds: 60, failureThreshold: 0 };

export function specInput(overrides: Partial<ApplicationSpecInput> = {}, sha256 = SHA_1): ApplicationSpecInput {
  return {
    module: { sha256, sizeBytes: 4096 },
    manifestSignature: SIGNATURE,
    publisherKey: KEY_B,
    entryPoint: 'run',
    requiredHostFunctions: ['log'],
    config: { memoryLimitBytes: 65536, cpuTimeLimitMs: 100 },
    targets: { selector: { env: 'lab' } },
    strategy: STRATEGY,
    ...overrides,
  };
}

/** The spec as stored in events: validated and with defaults filled in. */
export function storedSpec(input: ApplicationSpecInput = specInput()): ApplicationSpec {
  return requireSpec('spec', input);
}

export const create = (input = specInput(), now = T0) => cmd('CreateApplication', { applicationId: APP, spec: input }, now);
export const update = (input: ApplicationSpecInput, now = T0) => cmd('UpdateApplication', { applicationId: APP, spec: input }, now);
export const deploy = (targets: string[], now = T0, revision?: number) =>
  cmd('DeployApplication', revision === undefined ? { applicationId: APP, targets } : { applicationId: APP, targets, revision }, now);
export const started = (device: string, revision: number, now = T0) =>
  cmd('RecordDeviceDeploymentStarted', { applicationId: APP, device, revision }, now);
export const running = (device: string, revision: number, sha256: string, now = T0) =>
  cmd('RecordDeviceRunning', { applicationId: APP, device, revision, sha256 }, now);
export const failed = (device: string, revision: number, now = T0, reason = 'trap: out of bounds') =>
  cmd('RecordDeviceFailed', { applicationId: APP, device, revision, reason }, now);
export const advance = (rollout: number, waveIndex: number, now = T0) => cmd('AdvanceWave', { applicationId: APP, rollout, waveIndex }, now);
export const pause = (now = T0, reason?: string) =>
  cmd('PauseRollout', reason === undefined ? { applicationId: APP } : { applicationId: APP, reason }, now);
export const resume = (now = T0) => cmd('ResumeRollout', { applicationId: APP }, now);
export const rollback = (automatic = false, now = T0, reason = 'bad release') =>
  cmd('RollbackRollout', { applicationId: APP, reason, automatic }, now);
export const stop = (now = T0) => cmd('StopApplication', { applicationId: APP }, now);
export const stopped = (device: string, now = T0) => cmd('RecordDeviceStopped', { applicationId: APP, device }, now);
export const remove = (now = T0) => cmd('DeleteApplication', { applicationId: APP }, now);
export const confirmDeleted = (now = T0) => cmd('ConfirmDeleted', { applicationId: APP }, now);

export function history(...commands: ApplicationCommand[]): ApplicationEvent[] {
  return eventsOf(applicationDecider, commands);
}

/** Every device of `devices` reports running `revision`. */
export function allRunning(devices: string[], revision: number, sha256: string, now = T0): ApplicationCommand[] {
  return devices.map((d) => running(d, revision, sha256, now));
}

/** Revision 1 completed on d1..d3 (waves [d1], [d2, d3]) by T0+120 s; revision 2 (SHA_2) created at T0+200 s. */
export const V1_GOOD_V2_CREATED: ApplicationCommand[] = [
  create(),
  deploy(['d1', 'd2', 'd3']),
  running('d1', 1, SHA_1),
  advance(1, 0, addSeconds(T0, 60)),
  ...allRunning(['d2', 'd3'], 1, SHA_1, addSeconds(T0, 60)),
  advance(1, 1, addSeconds(T0, 120)),
  update(specInput({}, SHA_2), addSeconds(T0, 200)),
];
