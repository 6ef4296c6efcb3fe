import { requireNonNegativeInt, requireRecord, requireText, requireTextSet } from '../shared/validation';

/** What a device reports about itself when it enrolls (and when that changes). */
export interface DeviceCapabilities {
  readonly firmware: string;
  readonly board: string;
  readonly arch: string;
  readonly ramBytes: number;
  readonly maxModuleBytes: number;
  readonly maxInstances: number;
  /** Host functions the runtime exports to modules; sorted and unique once validated. */
  readonly hostFunctions: readonly string[];
}

export function requireCapabilities(field: string, value: unknown): DeviceCapabilities {
  const c = requireRecord(field, value);
  return {
    firmware: requireText(`${field}.firmware`, c.firmware, 128),
    board: requireText(`${field}.board`, c.board, 128),
    arch: requireText(`${field}.arch`, c.arch, 64),
    ramBytes: requireNonNegativeInt(`${field}.ramBytes`, c.ramBytes),
    maxModuleBytes: requireNonNegativeInt(`${field}.maxModuleBytes`, c.maxModuleBytes),
    maxInstances: requireNonNegativeInt(`${field}.maxInstances`, c.maxInstances),
    hostFunctions: requireTextSet(`${field}.hostFunctions`, c.hostFunctions),
  };
}
