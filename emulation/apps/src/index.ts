// @wasmbed/example-apps: the Wasmbed app ABI (docs/app-abi.md) in executable
// form, example apps built against it, and a reference host that runs them.
export {
  ABI_VERSION,
  ALL_HOST_FUNCTIONS,
  CONFIG_BUFFER_TOO_SMALL,
  CONFIG_MISSING,
  DEFAULT_ENTRY_POINT,
  HOST_FUNCTIONS,
  HOST_FUNCTION_NAMES,
  HOST_MODULE,
  LOG_LEVELS,
  LOG_MAX_BYTES,
  SENSOR_CHANNELS,
  SENSOR_UNAVAILABLE,
  WASM_PAGE_BYTES,
  isHostFunctionName,
  qualifiedName,
} from './abi';
export type { HostFunctionName, HostFunctionSignature, LogLevel, QualifiedHostFunction, WasmValueType } from './abi';
export {
  AppLoadError,
  AppStopRequested,
  CpuTimeLimitExceeded,
  ExampleAppNotBuilt,
  HostTrap,
  InvalidModule,
  MemoryLimitExceeded,
  MissingHostFunction,
  UnknownExampleApp,
} from './errors';
export type { LoadFailureReason } from './errors';
export type { MemoryRef } from './guest-memory';
export { createWasmbedImports } from './wasmbed-imports';
export type { LogRecord, WasmbedHostHooks, WasmbedImportFunctions } from './wasmbed-imports';
export { SENSOR_MODEL, simulatedSensorValue, triangleWave } from './sensor-model';
export type { SensorWave } from './sensor-model';
export { DEFAULT_RANDOM_SEED, xorshift32 } from './random';
export { inspectModule } from './module-inspect';
export type { ExternKind, FuncType, MemoryLimits, ModuleExport, ModuleImport, ModuleInfo } from './module-inspect';
export type { PostMvpFeature, ValueType } from './mvp-code-scan';
export { withMemoryMaximum } from './memory-limit';
export { prepareModule, requiredHostFunctions } from './prepare-module';
export type { PrepareOptions, PreparedModule } from './prepare-module';
export { EXITED, attributeMemoryLimit, outcomeOf } from './outcome';
export type { AppOutcome, FailureReason, MemoryAtEnd } from './outcome';
export { REFERENCE_DEFAULTS, runWithReferenceHost } from './reference-host';
export type { ReferenceHostOptions, ReferenceRun, TimedLogRecord } from './reference-host';
export { EXAMPLE_APPS, EXAMPLE_APP_NAMES, exampleApp, isExampleAppName } from './catalog';
export type { ExampleApp, ExampleAppName, ExpectedEnd } from './catalog';
export { exampleAppPath, loadExampleApp } from './app-files';
