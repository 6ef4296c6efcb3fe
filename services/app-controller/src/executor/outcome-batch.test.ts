import { InvalidCommand, InvalidTransition } from '@wasmbed/domain';
import { SHA_1, T0 } from '../test-support/views';
import {
  MAX_OUTCOMES_PER_COMMAND,
  MAX_OUTCOME_BYTES_PER_COMMAND,
  batchCommandKey,
  batchIntent,
  isOutcomeIntent,
  nextBatchSize,
  pendingOutcome,
  recordedFor,
  refusedMember,
} from './outcome-batch';

const started = (device: string, version = 3) =>
  pendingOutcome(`RecordDeviceDeploymentStarted/r1/${device}`, version, T0, {
    type: 'RecordDeviceDeploymentStarted',
    data: { applicationId: 'app', device, revision: 1 },
  });
const failed = (device: string, reason: string) =>
  pendingOutcome(`RecordDeviceFailed/r1/${device}`, 3, T0 + 1000, { type: 'RecordDeviceFailed', data: { applicationId: 'app', device, revision: 1, reason } });

describe('outcome batches', () => {
  it('turns single outcome intents into outcomes dated at their own pass', () => {
    const running = pendingOutcome('RecordDeviceRunning/r1/d2', 7, T0, { type: 'RecordDeviceRunning', data: { applicationId: 'app', device: 'd2', revision: 1, sha256: SHA_1 } });
    expect(running).toEqual({
      memberId: 'v7/RecordDeviceRunning/r1/d2',
      decidedAt: T0,
      outcome: { device: 'd2', revision: 1, at: new Date(T0).toISOString(), kind: 'running', sha256: SHA_1 },
    });
    expect(failed('d3', 'trap').outcome).toMatchObject({ kind: 'failed', reason: 'trap', at: new Date(T0 + 1000).toISOString() });
    expect(batchIntent('app', [started('d1'), running])).toEqual({
      type: 'RecordDeviceOutcomes',
      data: { applicationId: 'app', outcomes: [started('d1').outcome, running.outcome] },
    });
  });

  it('coalesces only device outcomes', () => {
    expect(isOutcomeIntent({ type: 'RecordDeviceFailed', data: { applicationId: 'a', device: 'd', revision: 1, reason: 'x' } })).toBe(true);
    expect(isOutcomeIntent({ type: 'AdvanceWave', data: { applicationId: 'a', rollout: 1, waveIndex: 0 } })).toBe(false);
    expect(isOutcomeIntent({ type: 'RecordDeviceStopped', data: { applicationId: 'a', device: 'd' } })).toBe(false);
  });

  it('bounds a batch by count and by estimated commit size, never below one outcome', () => {
    const many = Array.from({ length: 1200 }, (_, i) => started(`d${i}`));
    expect(nextBatchSize(many)).toBe(MAX_OUTCOMES_PER_COMMAND);
    expect(nextBatchSize(many.slice(0, 3))).toBe(3);
    const verbose = Array.from({ length: 500 }, (_, i) => failed(`d${i}`, 'x'.repeat(1024)));
    const size = nextBatchSize(verbose);
    expect(size).toBeGreaterThan(100);
    expect(size).toBeLessThan(500);
    expect(size * (1024 + 700)).toBeLessThanOrEqual(MAX_OUTCOME_BYTES_PER_COMMAND);
    expect(nextBatchSize([failed('d1', 'x'.repeat(MAX_OUTCOME_BYTES_PER_COMMAND))])).toBe(1);
    expect(nextBatchSize([])).toBe(0);
  });

  it('names a batch after its members, so the same batch retried has the same command id', () => {
    const key = batchCommandKey([started('d1'), started('d2')]);
    expect(key).toMatch(/^RecordDeviceOutcomes\/2\/[0-9a-f]{32}$/);
    expect(batchCommandKey([started('d1'), started('d2')])).toBe(key);
    expect(batchCommandKey([started('d2'), started('d1')])).not.toBe(key);
    expect(batchCommandKey([started('d1', 4), started('d2')])).not.toBe(key);
  });

  it("tells a member whether the command recorded its device's event", () => {
    const events = [{ type: 'DeviceDeploymentStarted', data: { device: 'd1' } }, { type: 'RolloutFailed', data: { failedDevices: ['d2'] } }];
    expect(recordedFor(started('d1'), events)).toBe(true);
    expect(recordedFor(started('d2'), events)).toBe(false);
    expect(recordedFor(failed('d1', 'x'), events)).toBe(false);
  });

  it('finds the member a refusal names', () => {
    expect(refusedMember(new InvalidCommand('data.outcomes[12].device', 'not a target'))).toBe(12);
    expect(refusedMember(new InvalidCommand('data.outcomes', 'must list at least one outcome'))).toBeNull();
    expect(refusedMember(new InvalidTransition('RecordDeviceOutcomes', 'application', 'app', 'Stopping'))).toBeNull();
    expect(refusedMember(new Error('connection closed'))).toBeNull();
  });
});
