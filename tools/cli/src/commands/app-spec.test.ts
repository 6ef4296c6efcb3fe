import { parseFlags } from '../args/parse-flags';
import { ParsedArgs } from '../args/parsed-args';
import { UsageError } from '../errors';
import { STRATEGY_FLAGS, strategyFrom, TARGET_FLAGS, targetsFrom } from './app-spec';

const args = (argv: string[]) => new ParsedArgs(parseFlags(argv, { ...TARGET_FLAGS, ...STRATEGY_FLAGS }, 'app create'), 'app create');

describe('targetsFrom', () => {
  it('maps each kind of target', () => {
    expect(targetsFrom(args(['--devices', 'a, b']))).toEqual({ kind: { $case: 'deviceNames', value: { names: ['a', 'b'] } } });
    expect(targetsFrom(args(['--selector', 'env=prod,site=lab']))).toEqual({ kind: { $case: 'selector', value: { matchLabels: { env: 'prod', site: 'lab' } } } });
    expect(targetsFrom(args(['--all']))).toEqual({ kind: { $case: 'allDevices', value: true } });
  });

  it('requires exactly one unless there is a fallback', () => {
    expect(() => targetsFrom(args([]))).toThrow('one of --devices, --selector, --all is required');
    expect(() => targetsFrom(args(['--all', '--devices', 'a']))).toThrow(UsageError);
    const previous = { kind: { $case: 'allDevices' as const, value: true } };
    expect(targetsFrom(args([]), previous)).toBe(previous);
  });
});

describe('strategyFrom', () => {
  it('stays unset without flags (the api then deploys all at once)', () => {
    expect(strategyFrom(args([]))).toBeUndefined();
  });

  it('reads canary, batch as count or percent, health gate and threshold', () => {
    expect(strategyFrom(args(['--canary', '1', '--batch', '25%', '--health-gate', '1m30s', '--failure-threshold', '2']))).toEqual({
      canary: 1,
      batch: { $case: 'batchPercent', value: 25 },
      healthGateSeconds: 90,
      failureThreshold: 2,
      failureThresholdPercent: undefined,
    });
    expect(strategyFrom(args(['--failure-threshold', '10%']))).toMatchObject({ failureThreshold: 0, failureThresholdPercent: 10 });
    expect(strategyFrom(args(['--batch', '5']))?.batch).toEqual({ $case: 'batchCount', value: 5 });
  });

  it('overlays flags on the previous strategy', () => {
    const previous = { canary: 2, batch: { $case: 'batchCount' as const, value: 3 }, healthGateSeconds: 30, failureThreshold: 1 };
    expect(strategyFrom(args(['--health-gate', '10s']), previous)).toEqual({ ...previous, healthGateSeconds: 10, failureThresholdPercent: undefined });
    // A percent replaces the previous count, and the other way round.
    expect(strategyFrom(args(['--failure-threshold', '20%']), previous)).toMatchObject({ failureThreshold: 0, failureThresholdPercent: 20 });
    expect(strategyFrom(args(['--failure-threshold', '3']), { ...previous, failureThreshold: 0, failureThresholdPercent: 20 })).toMatchObject({ failureThreshold: 3, failureThresholdPercent: undefined });
    expect(strategyFrom(args([]), previous)).toBe(previous);
  });

  it('refuses what the api cannot take, naming the flag', () => {
    expect(() => strategyFrom(args(['--batch', '0']))).toThrow('--batch: must be at least 1');
    expect(() => strategyFrom(args(['--failure-threshold', '101%']))).toThrow(/^--failure-threshold/);
    expect(() => strategyFrom(args(['--health-gate', '500ms']))).toThrow(/^--health-gate: .*whole number of seconds/);
  });
});
