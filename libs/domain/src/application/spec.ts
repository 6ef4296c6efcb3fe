import { InvalidCommand } from '../shared/errors';
import { requireLabels } from '../shared/labels';
import {
  requireArray,
  requireBoolean,
  requireHex,
  requireNameSet,
  requireNonNegativeInt,
  requirePercent,
  requirePositiveInt,
  requirePublicKey,
  requireRecord,
  requireSha256,
  requireText,
  requireTextSet,
} from '../shared/validation';
import { compareStrings } from '../shared/canonical';

/** An absolute number of devices, or a percentage of a total. */
export type DeviceCount = number | { readonly percent: number };

export interface ModuleRef {
  readonly sha256: string;
  readonly sizeBytes: number;
  readonly uri: string | null;
}

export interface RuntimeConfig {
  readonly memoryLimitBytes: number;
  /** 0 = no CPU time limit. */
  readonly cpuTimeLimitMs: number;
  readonly env: Readonly<Record<string, string>>;
  readonly args: readonly string[];
  readonly autoRestart: boolean;
  readonly maxRestarts: number;
}

/** Exactly one kind of target; resolved to device names by the caller at deploy time. */
export type TargetSelection =
  | { readonly deviceNames: readonly string[] }
  | { readonly selector: Readonly<Record<string, string>> }
  | { readonly allDevices: true };

export interface RolloutStrategy {
  /** Devices in the first wave; 0 = no canary wave. */
  readonly canary: number;
  /** Devices per later wave; a percentage is of all targets, rounded up (at least 1). */
  readonly batchSize: DeviceCount;
  /** How long a wave must stay healthy after its last device outcome before the next wave. */
  readonly healthGateSeconds: number;
  /** Failed devices tolerated per wave; one more fails the rollout. A percentage is of the wave, rounded down. */
  readonly failureThreshold: DeviceCount;
}

export interface ApplicationSpec {
  readonly module: ModuleRef;
  /** Ed25519 signature over the manifest: 64 bytes as hex. */
  readonly manifestSignature: string;
  /** Ed25519 public key of the publisher: 32 bytes as hex. */
  readonly publisherKey: string;
  readonly entryPoint: string;
  readonly requiredHostFunctions: readonly string[];
  readonly config: RuntimeConfig;
  readonly targets: TargetSelection;
  readonly strategy: RolloutStrategy;
}

/** What a caller may send: optional parts get their defaults during validation. */
export interface ApplicationSpecInput {
  module: { sha256: string; sizeBytes: number; uri?: string | null };
  manifestSignature: string;
  publisherKey: string;
  entryPoint: string;
  requiredHostFunctions?: string[];
  config: {
    memoryLimitBytes: number;
    cpuTimeLimitMs: number;
    env?: Record<string, string>;
    args?: string[];
    autoRestart?: boolean;
    maxRestarts?: number;
  };
  targets: { deviceNames?: string[]; selector?: Record<string, string>; allDevices?: boolean };
  strategy?: RolloutStrategy;
}

/** All at once, no canary, no gate, no tolerated failure. */
export const DEFAULT_STRATEGY: RolloutStrategy = { canary: 0, batchSize: { percent: 100 }, healthGateSeconds: 0, failureThreshold: 0 };

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;
const ENTRY_POINT = /^[A-Za-z_$][A-Za-z0-9_$.-]{0,127}$/;

/** Validates a spec and returns it in canonical form (lowercase hex, sorted sets, defaults filled in). */
export function requireSpec(field: string, value: unknown): ApplicationSpec {
  const spec = requireRecord(field, value);
  const module = requireRecord(`${field}.module`, spec.module);
  const entryPoint = spec.entryPoint;
  if (typeof entryPoint !== 'string' || !ENTRY_POINT.test(entryPoint)) {
    throw new InvalidCommand(`${field}.entryPoint`, 'must be an exported function name');
  }
  return {
    module: {
      sha256: requireSha256(`${field}.module.sha256`, module.sha256),
      sizeBytes: requirePositiveInt(`${field}.module.sizeBytes`, module.sizeBytes),
      uri: module.uri === undefined || module.uri === null ? null : requireText(`${field}.module.uri`, module.uri, 2048),
    },
    manifestSignature: requireHex(`${field}.manifestSignature`, spec.manifestSignature, 64),
    publisherKey: requirePublicKey(`${field}.publisherKey`, spec.publisherKey),
    entryPoint,
    requiredHostFunctions: requireTextSet(`${field}.requiredHostFunctions`, spec.requiredHostFunctions ?? []),
    config: requireConfig(`${field}.config`, spec.config),
    targets: requireTargets(`${field}.targets`, spec.targets),
    strategy: spec.strategy === undefined ? DEFAULT_STRATEGY : requireStrategy(`${field}.strategy`, spec.strategy),
  };
}

function requireConfig(field: string, value: unknown): RuntimeConfig {
  const config = requireRecord(field, value);
  const env = Object.entries(requireRecord(`${field}.env`, config.env ?? {})).sort(([a], [b]) => compareStrings(a, b));
  for (const [name, v] of env) {
    if (!ENV_NAME.test(name)) throw new InvalidCommand(`${field}.env.${name}`, 'is not a valid variable name');
    if (typeof v !== 'string') throw new InvalidCommand(`${field}.env.${name}`, 'must be a string');
  }
  const args = requireArray(`${field}.args`, config.args ?? []).map((a, i) => {
    if (typeof a !== 'string') throw new InvalidCommand(`${field}.args[${i}]`, 'must be a string');
    return a;
  });
  return {
    memoryLimitBytes: requirePositiveInt(`${field}.memoryLimitBytes`, config.memoryLimitBytes),
    cpuTimeLimitMs: requireNonNegativeInt(`${field}.cpuTimeLimitMs`, config.cpuTimeLimitMs),
    env: Object.fromEntries(env) as Record<string, string>,
    args,
    autoRestart: requireBoolean(`${field}.autoRestart`, config.autoRestart ?? false),
    maxRestarts: requireNonNegativeInt(`${field}.maxRestarts`, config.maxRestarts ?? 0),
  };
}

function requireTargets(field: string, value: unknown): TargetSelection {
  const targets = requireRecord(field, value);
  const kinds = (['deviceNames', 'selector', 'allDevices'] as const).filter((k) => targets[k] !== undefined);
  if (kinds.length !== 1) throw new InvalidCommand(field, 'must set exactly one of deviceNames, selector, allDevices');
  switch (kinds[0]) {
    case 'deviceNames': {
      const deviceNames = requireNameSet(`${field}.deviceNames`, targets.deviceNames);
      if (deviceNames.length === 0) throw new InvalidCommand(`${field}.deviceNames`, 'must name at least one device');
      return { deviceNames };
    }
    case 'selector': {
      const selector = requireLabels(`${field}.selector`, targets.selector);
      // An empty selector would silently mean "every device"; allDevices says that explicitly.
      if (Object.keys(selector).length === 0) throw new InvalidCommand(`${field}.selector`, 'must have at least one label');
      return { selector };
    }
    default:
      if (targets.allDevices !== true) throw new InvalidCommand(`${field}.allDevices`, 'must be true when set');
      return { allDevices: true };
  }
}

export function requireStrategy(field: string, value: unknown): RolloutStrategy {
  const strategy = requireRecord(field, value);
  return {
    canary: requireNonNegativeInt(`${field}.canary`, strategy.canary),
    batchSize: requireCount(`${field}.batchSize`, strategy.batchSize, 1),
    healthGateSeconds: requireNonNegativeInt(`${field}.healthGateSeconds`, strategy.healthGateSeconds),
    failureThreshold: requireCount(`${field}.failureThreshold`, strategy.failureThreshold, 0),
  };
}

function requireCount(field: string, value: unknown, min: 0 | 1): DeviceCount {
  if (typeof value === 'number') return min === 0 ? requireNonNegativeInt(field, value) : requirePositiveInt(field, value);
  const count = requireRecord(field, value);
  if (Object.keys(count).length !== 1 || count.percent === undefined) {
    throw new InvalidCommand(field, 'must be a number or { percent }');
  }
  return { percent: requirePercent(`${field}.percent`, count.percent, min === 0) };
}
