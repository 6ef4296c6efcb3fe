import { createHash } from 'node:crypto';
import type { ApplicationSpec as DomainSpec } from '@wasmbed/domain';
import type { ApplicationSpec as ProtoSpec, DeploymentTargets, RolloutStrategy } from '@wasmbed/proto';
import type { ApplicationSpec, ModuleSpec } from '../resources';
import { canonicalJson } from '../status';
import { base64ToHex, bytesToBase64, sortedRecord, sortedUnique } from './canonical';

/**
 * An application spec as the domain records a revision (@wasmbed/domain's ApplicationSpec:
 * hex for hashes and keys, sets sorted, defaults filled in, no module bytes). Equal
 * canonical forms mean the same revision, whichever side (object or read model) they come from.
 */
export type CanonicalSpec = DomainSpec;

/** The domain's default: one wave of every target, no canary, no gate, no tolerated failure. */
const DEFAULT_STRATEGY: CanonicalSpec['strategy'] = { canary: 0, batchSize: { percent: 100 }, healthGateSeconds: 0, failureThreshold: 0 };

export function inlineModuleBytes(module: ModuleSpec): Buffer | undefined {
  return module.inlineBase64 === undefined ? undefined : Buffer.from(module.inlineBase64, 'base64');
}

/** sha256 (hex) and size of the module an object names, hashing inline bytes. */
export function moduleIdentity(module: ModuleSpec): { sha256: string; sizeBytes: number } {
  const bytes = inlineModuleBytes(module);
  if (bytes !== undefined) return { sha256: createHash('sha256').update(bytes).digest('hex'), sizeBytes: bytes.length };
  return { sha256: module.sha256 ?? '', sizeBytes: module.sizeBytes ?? 0 };
}

export function canonicalOfResource(spec: ApplicationSpec): CanonicalSpec {
  const t = spec.targetDevices;
  const s = spec.strategy;
  return {
    module: { ...moduleIdentity(spec.module), uri: spec.module.uri ?? null },
    manifestSignature: base64ToHex(spec.signature),
    publisherKey: base64ToHex(spec.publisherKey),
    entryPoint: spec.entryPoint,
    requiredHostFunctions: sortedUnique(spec.requiredHostFunctions ?? []),
    config: {
      memoryLimitBytes: spec.config.memoryLimit,
      cpuTimeLimitMs: spec.config.cpuTimeLimit ?? 0,
      env: sortedRecord(spec.config.env),
      args: [...(spec.config.args ?? [])],
      autoRestart: spec.config.autoRestart ?? false,
      maxRestarts: spec.config.maxRestarts ?? 0,
    },
    targets: t.deviceNames !== undefined ? { deviceNames: sortedUnique(t.deviceNames) } : t.selector !== undefined ? { selector: sortedRecord(t.selector.matchLabels) } : { allDevices: true },
    strategy: canonicalStrategy(s),
  };
}

function canonicalStrategy(s: ApplicationSpec['strategy']): CanonicalSpec['strategy'] {
  if (s === undefined) return DEFAULT_STRATEGY;
  return { canary: s.canary ?? 0, batchSize: s.batchCount ?? { percent: s.batchPercent ?? 100 }, healthGateSeconds: s.healthGateSeconds ?? 0, failureThreshold: s.failureThreshold ?? 0 };
}

function canonicalTargets(targets: DeploymentTargets | undefined): CanonicalSpec['targets'] {
  switch (targets?.kind?.$case) {
    case 'deviceNames':
      return { deviceNames: sortedUnique(targets.kind.value.names) };
    case 'selector':
      return { selector: sortedRecord(targets.kind.value.matchLabels) };
    default:
      return { allDevices: true };
  }
}

/** A proto strategy in the object's terms (an unset batch is one wave of every remaining device). */
function objectStrategyOf(strategy: RolloutStrategy): ApplicationSpec['strategy'] {
  const batch = strategy.batch;
  return {
    canary: strategy.canary,
    ...(batch?.$case === 'batchCount' ? { batchCount: batch.value } : { batchPercent: batch?.$case === 'batchPercent' ? batch.value : 100 }),
    healthGateSeconds: strategy.healthGateSeconds,
    failureThreshold: strategy.failureThreshold,
  };
}

export function canonicalOfFleet(spec: ProtoSpec): CanonicalSpec {
  const module = spec.module;
  const config = spec.config;
  return {
    module: {
      sha256: Buffer.from(module?.sha256 ?? []).toString('hex'),
      sizeBytes: module?.sizeBytes ?? 0,
      uri: module?.source?.$case === 'uri' ? module.source.value : null,
    },
    manifestSignature: Buffer.from(spec.manifestSignature).toString('hex'),
    publisherKey: Buffer.from(spec.publisherKey).toString('hex'),
    entryPoint: spec.entryPoint,
    requiredHostFunctions: sortedUnique(spec.requiredHostFunctions),
    config: {
      memoryLimitBytes: config?.memoryLimitBytes ?? 0,
      cpuTimeLimitMs: config?.cpuTimeLimitMs ?? 0,
      env: sortedRecord(config?.env),
      args: [...(config?.args ?? [])],
      autoRestart: config?.autoRestart ?? false,
      maxRestarts: config?.maxRestarts ?? 0,
    },
    targets: canonicalTargets(spec.targets),
    strategy: canonicalStrategy(spec.strategy && objectStrategyOf(spec.strategy)),
  };
}

export const sameSpec = (a: CanonicalSpec, b: CanonicalSpec): boolean => canonicalJson(a) === canonicalJson(b);

/** The request spec for Create/UpdateApplication: inline bytes are sent for the api to check and store. */
export function toRequestSpec(spec: ApplicationSpec): ProtoSpec {
  const c = canonicalOfResource(spec);
  const inline = inlineModuleBytes(spec.module);
  const source = inline !== undefined ? { $case: 'inlineContent' as const, value: inline } : c.module.uri !== null ? { $case: 'uri' as const, value: c.module.uri } : undefined;
  return {
    module: { sha256: Buffer.from(c.module.sha256, 'hex'), sizeBytes: c.module.sizeBytes, source },
    manifestSignature: Buffer.from(spec.signature, 'base64'),
    publisherKey: Buffer.from(spec.publisherKey, 'base64'),
    entryPoint: c.entryPoint,
    requiredHostFunctions: [...c.requiredHostFunctions],
    config: { ...c.config, env: { ...c.config.env }, args: [...c.config.args] },
    targets: toTargets(c.targets),
    strategy:
      spec.strategy === undefined
        ? undefined
        : {
            canary: c.strategy.canary,
            batch: batchOf(c.strategy.batchSize),
            healthGateSeconds: c.strategy.healthGateSeconds,
            failureThreshold: countOf(c.strategy.failureThreshold),
          },
  };
}

const batchOf = (size: CanonicalSpec['strategy']['batchSize']): RolloutStrategy['batch'] =>
  typeof size === 'number' ? { $case: 'batchCount', value: size } : { $case: 'batchPercent', value: size.percent };

// The api writes counts only; a percentage threshold (another producer's) has no v1 field.
const countOf = (count: CanonicalSpec['strategy']['failureThreshold']): number => (typeof count === 'number' ? count : 0);

function toTargets(targets: CanonicalSpec['targets']): DeploymentTargets {
  if ('deviceNames' in targets) return { kind: { $case: 'deviceNames', value: { names: [...targets.deviceNames] } } };
  if ('selector' in targets) return { kind: { $case: 'selector', value: { matchLabels: { ...targets.selector } } } };
  return { kind: { $case: 'allDevices', value: true } };
}

/**
 * The object spec for a fleet revision. Read models keep no module bytes, so the module
 * is named by hash, unless `current` carries the very same module inline (kept as it is).
 */
export function specFromFleet(spec: ProtoSpec, current?: ApplicationSpec): ApplicationSpec {
  const c = canonicalOfFleet(spec);
  const keepInline = current?.module.inlineBase64 !== undefined && c.module.uri === null && moduleIdentity(current.module).sha256 === c.module.sha256;
  const module: ModuleSpec = keepInline
    ? { inlineBase64: current!.module.inlineBase64! }
    : { sha256: c.module.sha256, sizeBytes: c.module.sizeBytes, ...(c.module.uri === null ? {} : { uri: c.module.uri }) };
  const t = c.targets;
  const batch = c.strategy.batchSize;
  return {
    module,
    signature: bytesToBase64(spec.manifestSignature),
    publisherKey: bytesToBase64(spec.publisherKey),
    entryPoint: c.entryPoint,
    ...(c.requiredHostFunctions.length > 0 ? { requiredHostFunctions: [...c.requiredHostFunctions] } : {}),
    config: {
      memoryLimit: c.config.memoryLimitBytes,
      ...(c.config.cpuTimeLimitMs ? { cpuTimeLimit: c.config.cpuTimeLimitMs } : {}),
      ...(Object.keys(c.config.env).length > 0 ? { env: { ...c.config.env } } : {}),
      ...(c.config.args.length > 0 ? { args: [...c.config.args] } : {}),
      ...(c.config.autoRestart ? { autoRestart: true } : {}),
      ...(c.config.maxRestarts ? { maxRestarts: c.config.maxRestarts } : {}),
    },
    targetDevices: 'deviceNames' in t ? { deviceNames: [...t.deviceNames] } : 'selector' in t ? { selector: { matchLabels: { ...t.selector } } } : { allDevices: true },
    strategy: {
      canary: c.strategy.canary,
      ...(typeof batch === 'number' ? { batchCount: batch } : { batchPercent: batch.percent }),
      healthGateSeconds: c.strategy.healthGateSeconds,
      failureThreshold: countOf(c.strategy.failureThreshold),
    },
  };
}
