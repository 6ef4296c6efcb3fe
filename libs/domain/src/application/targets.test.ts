import { applyEvents } from '../shared/decider';
import { deviceDecider } from '../device/decider';
import type { Device } from '../device/state';
import { HISTORIES } from '../test-support/device';
import { capabilities } from '../test-support/fixtures';
import { canRun, eligibleTargets, isDynamicSelection, isEligibleTarget, type RevisionNeeds } from './targets';

function deviceIn(status: keyof typeof HISTORIES, overrides: Partial<Device> = {}): Device {
  return { ...(applyEvents(deviceDecider, HISTORIES[status]) as Device), ...overrides };
}

// The fixture's capabilities: 256 KiB RAM, 64 KiB modules, host functions gpio_write and log.
const needs: RevisionNeeds = {
  module: { sha256: '01'.repeat(32), sizeBytes: 4096, uri: null },
  requiredHostFunctions: ['log'],
  config: { memoryLimitBytes: 65536, cpuTimeLimitMs: 0, env: {}, args: [], autoRestart: false, maxRestarts: 0 },
};
const lab = { labels: { env: 'lab', site: 'a' } };

describe('canRun', () => {
  it('accepts a revision within the runtime, and refuses one too large, too hungry or needing a missing host function', () => {
    expect(canRun(capabilities(), needs)).toBe(true);
    expect(canRun(capabilities(), { ...needs, module: { ...needs.module, sizeBytes: 65537 } })).toBe(false);
    expect(canRun(capabilities(), { ...needs, config: { ...needs.config, memoryLimitBytes: 262145 } })).toBe(false);
    expect(canRun(capabilities(), { ...needs, requiredHostFunctions: ['log', 'camera_capture'] })).toBe(false);
    expect(canRun(capabilities(), { ...needs, module: { ...needs.module, sizeBytes: 65536 }, config: { ...needs.config, memoryLimitBytes: 262144 } })).toBe(true);
  });
});

describe('isEligibleTarget', () => {
  it('picks an enrolled device whose labels match and that can run the revision', () => {
    expect(isEligibleTarget(deviceIn('Connected', lab), { selector: { env: 'lab' } }, needs)).toBe(true);
    expect(isEligibleTarget(deviceIn('Connected', lab), { allDevices: true }, needs)).toBe(true);
  });

  it('counts every admitted status as enrolled, and no other', () => {
    for (const status of ['Enrolled', 'Connected', 'Disconnected', 'Unreachable'] as const) {
      expect(isEligibleTarget(deviceIn(status, lab), { allDevices: true }, needs)).toBe(true);
    }
    expect(isEligibleTarget(deviceIn('Pending', { ...lab, capabilities: capabilities() }), { allDevices: true }, needs)).toBe(false);
    expect(isEligibleTarget(deviceIn('Revoked', { ...lab, capabilities: capabilities() }), { allDevices: true }, needs)).toBe(false);
  });

  it('refuses a label mismatch, a missing label, and a device that cannot run the revision', () => {
    expect(isEligibleTarget(deviceIn('Connected', lab), { selector: { env: 'prod' } }, needs)).toBe(false);
    expect(isEligibleTarget(deviceIn('Connected', lab), { selector: { env: 'lab', rack: '1' } }, needs)).toBe(false);
    expect(isEligibleTarget(deviceIn('Connected', lab), { selector: { env: 'lab' } }, { ...needs, requiredHostFunctions: ['camera_capture'] })).toBe(false);
  });

  it('refuses a device that has not reported its capabilities, whatever the revision needs', () => {
    expect(isEligibleTarget(deviceIn('Connected', { capabilities: null }), { allDevices: true }, { ...needs, requiredHostFunctions: [] })).toBe(false);
  });
});

describe('eligibleTargets', () => {
  it('returns the picked names sorted in code-unit order, whatever the input order', () => {
    const named = (deviceId: string, labels: Record<string, string>) => deviceIn('Connected', { deviceId, labels });
    const fleet = [named('b', { env: 'lab' }), named('B', { env: 'lab' }), named('a', { env: 'prod' }), named('a2', { env: 'lab' })];
    expect(eligibleTargets(fleet, { selector: { env: 'lab' } }, needs)).toEqual(['B', 'a2', 'b']);
    expect(eligibleTargets(new Set(fleet), { allDevices: true }, needs)).toEqual(['B', 'a', 'a2', 'b']);
  });

  it('picks nothing from an empty fleet', () => {
    expect(eligibleTargets([], { allDevices: true }, needs)).toEqual([]);
  });
});

describe('isDynamicSelection', () => {
  it('is true for a selector and for all devices, false for named devices', () => {
    expect(isDynamicSelection({ selector: { env: 'lab' } })).toBe(true);
    expect(isDynamicSelection({ allDevices: true })).toBe(true);
    expect(isDynamicSelection({ deviceNames: ['d1'] })).toBe(false);
  });
});
