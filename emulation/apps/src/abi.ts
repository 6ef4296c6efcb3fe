// Constants of the Wasmbed app ABI, version 1. docs/app-abi.md is the prose
// specification; this file and wasmbed-imports.ts are its executable form.

export const ABI_VERSION = 1;

/** Import module name of every host function. */
export const HOST_MODULE = 'wasmbed';

export const WASM_PAGE_BYTES = 65_536;

export type WasmValueType = 'i32' | 'i64';

export interface HostFunctionSignature {
  readonly params: readonly WasmValueType[];
  readonly results: readonly WasmValueType[];
}

/** Every host function of ABI v1 with its exact WebAssembly signature. */
export const HOST_FUNCTIONS = {
  log: { params: ['i32', 'i32', 'i32'], results: [] },
  now_ms: { params: [], results: ['i64'] },
  sleep_ms: { params: ['i32'], results: [] },
  config_get: { params: ['i32', 'i32', 'i32', 'i32'], results: ['i32'] },
  sensor_read: { params: ['i32'], results: ['i32'] },
  random_u32: { params: [], results: ['i32'] },
} as const satisfies Record<string, HostFunctionSignature>;

export type HostFunctionName = keyof typeof HOST_FUNCTIONS;

export const HOST_FUNCTION_NAMES = Object.keys(HOST_FUNCTIONS) as readonly HostFunctionName[];

/** Name used in manifests (`requiredHostFunctions`) and device capabilities (`hostFunctions`). */
export type QualifiedHostFunction = `${typeof HOST_MODULE}.${HostFunctionName}`;

export function qualifiedName(name: HostFunctionName): QualifiedHostFunction {
  return `${HOST_MODULE}.${name}`;
}

/** Every host function of ABI v1 by qualified name, sorted. */
export const ALL_HOST_FUNCTIONS: readonly QualifiedHostFunction[] = HOST_FUNCTION_NAMES.map(qualifiedName).sort();

export function isHostFunctionName(name: string): name is HostFunctionName {
  return Object.prototype.hasOwnProperty.call(HOST_FUNCTIONS, name);
}

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** log keeps at most this many bytes of a message. */
export const LOG_MAX_BYTES = 1024;

/** config_get results other than a byte count. */
export const CONFIG_MISSING = -1;
export const CONFIG_BUFFER_TOO_SMALL = -2;

/** Sensor channels; readings are in milli-units. */
export const SENSOR_CHANNELS = {
  temperature: 0, // m°C
  humidity: 1, // m%RH
  light: 2, // mlx
} as const;

/** sensor_read result for a channel the device does not have. */
export const SENSOR_UNAVAILABLE = -2_147_483_648;

/** Entry point of the example apps (the manifest may name another export). */
export const DEFAULT_ENTRY_POINT = 'run';
