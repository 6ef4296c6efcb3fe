// @wasmbed/sim-device: simulated Wasmbed devices (protocol over TLS 1.3, a worker-based
// WebAssembly runtime with memory and CPU-time limits) and a fleet runner.
export { SimDevice, SIM_DEVICE_DEFAULTS } from './device/sim-device';
export type { DeviceState, RuntimeConfig, SimDeviceConfig, SimDeviceEvents } from './device/sim-device';
export type { SessionEnd, SessionOutcome, SessionPhase } from './device/device-session';
export { loadOrCreateDeviceIdentity, DEVICE_KEY_FILES } from './device/device-identity';
export type { DeviceIdentity, DeviceIdentityOptions } from './device/device-identity';
export { checkDeploy, checkModule } from './device/deploy-checks';
export type { Checked, DeployPolicy } from './device/deploy-checks';
export { ModuleTransfers, PartialModule } from './device/module-transfers';
export { DeviceClock } from './device/device-clock';
export { parseEndpoint } from './device/tls-connect';
export { nextAttempt } from './device/reconnect-policy';
export { GatewayEndpoints, REDIRECT_ATTEMPTS } from './device/gateway-endpoints';
export type { DialTarget } from './device/gateway-endpoints';
export type { NextAttempt, RejectedPolicy } from './device/reconnect-policy';

export { Fleet, runFleet } from './fleet/run-fleet';
export type { FleetOptions } from './fleet/run-fleet';
export { DEVICE_STATES, formatSummary, summarize } from './fleet/fleet-summary';
export type { FleetSummary } from './fleet/fleet-summary';

export { AppRun } from './runtime/app-run';
export type { AppRunOptions, AppRunListener } from './runtime/app-run';
export { AppSupervisor, errorInfoOf } from './runtime/app-supervisor';
export type { AppStatusChange, AppSupervisorListener, StartResult } from './runtime/app-supervisor';
export { AppHost } from './runtime/app-host';
export type { AppHostOptions, AppHostListener, InstalledApp } from './runtime/app-host';
export type { RunOutcome, RunFailureReason } from './runtime/app-worker-protocol';
export { DEFAULT_RESTART_POLICY, restartPolicyOf } from './runtime/restart-policy';
export type { RestartPolicy } from './runtime/restart-policy';
export { DEFAULT_WORKER_RESOURCE_LIMITS } from './runtime/app-worker-launch';
export { ControlBlock } from './runtime/control-block';
export { HOST_WORKER_STARTS, WorkerStartGate } from './runtime/worker-start-gate';
export { AppWorkerPool, HOST_APP_WORKERS } from './runtime/app-worker-pool';

export { Backoff, DEFAULT_RECONNECT_BACKOFF, backoffCeilingMs, fullJitterDelayMs, validateBackoffPolicy } from './support/backoff';
export type { BackoffPolicy } from './support/backoff';
export { TokenBucket, LogRateLimiter } from './support/token-bucket';
export { clipUtf8 } from './support/clip-utf8';

export { DeviceIdentityError, GatewayConnectError, SimDeviceConfigError, TransferOutOfOrderError } from './errors';
