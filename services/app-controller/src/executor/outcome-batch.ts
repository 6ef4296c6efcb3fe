import { createHash } from 'node:crypto';
import { InvalidCommand, type DeviceOutcome } from '@wasmbed/domain';
import type { CommandIntent } from '../planner/actions';

/** The single-device outcome commands the executor coalesces into RecordDeviceOutcomes. */
export type OutcomeIntent = Extract<CommandIntent, { type: 'RecordDeviceDeploymentStarted' | 'RecordDeviceRunning' | 'RecordDeviceFailed' }>;

const KIND = { RecordDeviceDeploymentStarted: 'started', RecordDeviceRunning: 'running', RecordDeviceFailed: 'failed' } as const;
const EVENT_OF_KIND = { started: 'DeviceDeploymentStarted', running: 'DeviceRunning', failed: 'DeviceDeploymentFailed' } as const;

/**
 * Bounds of one RecordDeviceOutcomes. The store refuses a commit over the
 * server's max_payload (1 MiB by default); half of it leaves room for the
 * RolloutFailed a batch may add (it lists the failed devices).
 */
export const MAX_OUTCOMES_PER_COMMAND = 500;
export const MAX_OUTCOME_BYTES_PER_COMMAND = 512 * 1024;
/** What one recorded outcome costs in a commit beyond its own fields: event metadata, ids, times, names. */
const EVENT_OVERHEAD_BYTES = 700;

export function isOutcomeIntent(intent: CommandIntent): intent is OutcomeIntent {
  return intent.type in KIND;
}

/** One outcome waiting for its application's next command. */
export interface PendingOutcome {
  /** `v<plannedAtVersion>/<key>`: what the single command's id would have been made of. */
  readonly memberId: string;
  readonly decidedAt: number;
  readonly outcome: DeviceOutcome;
}

export function pendingOutcome(key: string, plannedAtVersion: number, decidedAt: number, intent: OutcomeIntent): PendingOutcome {
  const { device, revision } = intent.data;
  const at = new Date(decidedAt).toISOString();
  const outcome: DeviceOutcome =
    intent.type === 'RecordDeviceRunning'
      ? { device, revision, at, kind: 'running', sha256: intent.data.sha256 }
      : intent.type === 'RecordDeviceFailed'
        ? { device, revision, at, kind: 'failed', reason: intent.data.reason }
        : { device, revision, at, kind: 'started' };
  return { memberId: `v${plannedAtVersion}/${key}`, decidedAt, outcome };
}

/** How many of `pending` (oldest first) go into the next command: at least one, within both bounds. */
export function nextBatchSize(pending: readonly PendingOutcome[]): number {
  let bytes = 0;
  let count = 0;
  for (const p of pending.slice(0, MAX_OUTCOMES_PER_COMMAND)) {
    bytes += EVENT_OVERHEAD_BYTES + JSON.stringify(p.outcome).length;
    if (count > 0 && bytes > MAX_OUTCOME_BYTES_PER_COMMAND) break;
    count++;
  }
  return count;
}

/**
 * The batch's command id: the same members (same decisions, planned at the same
 * versions) make the same id, so a retried batch is recognised by handleCommand.
 */
export function batchCommandKey(members: readonly PendingOutcome[]): string {
  const digest = createHash('sha256').update(members.map((m) => m.memberId).join('\n')).digest('hex');
  return `RecordDeviceOutcomes/${members.length}/${digest.slice(0, 32)}`;
}

export function batchIntent(applicationId: string, members: readonly PendingOutcome[]): CommandIntent {
  return { type: 'RecordDeviceOutcomes', data: { applicationId, outcomes: members.map((m) => m.outcome) } };
}

/** Whether the command recorded this member's outcome (an ignored duplicate or stale report records nothing). */
export function recordedFor(member: PendingOutcome, events: readonly { readonly type: string; readonly data: object }[]): boolean {
  const type = EVENT_OF_KIND[member.outcome.kind];
  return events.some((e) => e.type === type && 'device' in e.data && e.data.device === member.outcome.device);
}

/** The member a refusal names (`data.outcomes[i]…`), or null when it concerns them all. */
export function refusedMember(err: unknown): number | null {
  if (!(err instanceof InvalidCommand)) return null;
  const match = /^data\.outcomes\[(\d+)\]/.exec(err.field);
  return match === null ? null : Number(match[1]);
}
