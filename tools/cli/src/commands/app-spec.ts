import type { ApplicationSpec, DeploymentTargets, RolloutStrategy } from '@wasmbed/proto';
import type { FlagSpecs } from '../args/parse-flags';
import type { ParsedArgs } from '../args/parsed-args';
import { parseCount, parseCountOrPercent, parseLabelSelector, parseNameList, parseSeconds } from '../args/values';
import { UsageError } from '../errors';
import type { SignedRevision } from './manifest-flags';

export const TARGET_FLAGS: FlagSpecs = {
  devices: { type: 'string', value: 'A,B', help: 'deploy to these devices' },
  selector: { type: 'string', value: 'K=V,...', help: 'deploy to devices with all these labels' },
  all: { type: 'boolean', help: 'deploy to every enrolled device' },
};

export const STRATEGY_FLAGS: FlagSpecs = {
  canary: { type: 'string', value: 'N', help: 'devices in the first (canary) wave (default 0)' },
  batch: { type: 'string', value: 'N|P%', help: 'devices per later wave, or a percentage of the targets (default all at once)' },
  'health-gate': { type: 'string', value: 'DURATION', help: 'how long a wave must stay running before the next, e.g. 30s (default 0s)' },
  'failure-threshold': { type: 'string', value: 'N|P%', help: 'failed devices a wave tolerates before rollback, or a percentage of the wave (default 0)' },
};

const TARGET_NAMES = ['devices', 'selector', 'all'] as const;
const STRATEGY_NAMES = Object.keys(STRATEGY_FLAGS);

/** The targets flag given, else `fallback` (the latest revision's); required when there is none. */
export function targetsFrom(args: ParsedArgs, fallback?: DeploymentTargets): DeploymentTargets {
  switch (args.oneOf(TARGET_NAMES, fallback === undefined)) {
    case 'devices':
      return { kind: { $case: 'deviceNames', value: { names: args.value('devices', parseNameList)! } } };
    case 'selector':
      return { kind: { $case: 'selector', value: { matchLabels: args.value('selector', parseLabelSelector)! } } };
    case 'all':
      return { kind: { $case: 'allDevices', value: true } };
    default:
      return fallback!;
  }
}

/**
 * The rollout strategy: flags over `fallback` (the latest revision's). Without
 * flags and fallback it stays unset, which the api reads as all at once.
 */
export function strategyFrom(args: ParsedArgs, fallback?: RolloutStrategy): RolloutStrategy | undefined {
  if (!STRATEGY_NAMES.some((n) => args.has(n))) return fallback;
  const base: RolloutStrategy = fallback ?? { canary: 0, batch: undefined, healthGateSeconds: 0, failureThreshold: 0 };
  const batch = args.value('batch', parseCountOrPercent);
  if (batch !== undefined && 'count' in batch && batch.count === 0) throw new UsageError('--batch: must be at least 1', args.command);
  const threshold = args.value('failure-threshold', parseCountOrPercent);
  return {
    canary: args.value('canary', parseCount) ?? base.canary,
    batch: batch === undefined ? base.batch : 'count' in batch ? { $case: 'batchCount', value: batch.count } : { $case: 'batchPercent', value: batch.percent },
    healthGateSeconds: args.value('health-gate', parseSeconds) ?? base.healthGateSeconds,
    // A count or a percent, never both: the api refuses a count next to a percent.
    ...(threshold === undefined
      ? { failureThreshold: base.failureThreshold, failureThresholdPercent: base.failureThresholdPercent }
      : 'count' in threshold
        ? { failureThreshold: threshold.count, failureThresholdPercent: undefined }
        : { failureThreshold: 0, failureThresholdPercent: threshold.percent }),
  };
}

/** The request's spec: the signed manifest's fields, the module inline, targets and strategy. */
export function applicationSpecOf(
  { input, signed }: SignedRevision,
  targets: DeploymentTargets,
  strategy: RolloutStrategy | undefined,
): ApplicationSpec {
  return {
    module: {
      sha256: Buffer.from(signed.sha256),
      sizeBytes: signed.sizeBytes,
      source: { $case: 'inlineContent', value: Buffer.from(input.module) },
    },
    manifestSignature: Buffer.from(signed.signature),
    publisherKey: Buffer.from(signed.publisherKey),
    entryPoint: signed.manifest.entryPoint,
    requiredHostFunctions: [...signed.manifest.hostFunctions],
    config: { ...input.config, env: { ...input.config.env }, args: [...input.config.args] },
    targets,
    strategy,
  };
}
