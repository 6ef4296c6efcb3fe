import { createHash } from 'node:crypto';
import { rawEd25519PublicKey, ed25519PrivateKeyFromSeed } from '../keys';
import { encodeManifest, type Manifest } from '../manifest/manifest';
import { moduleSha256, signManifest } from '../manifest/signing';
import type { Message } from '../messages/types';

// Fixed sample data behind the test vectors and the unit tests. Everything derives
// from constants, and Ed25519 signatures are deterministic, so the vectors are too.

/** TEST-ONLY publisher key: its seed is published in the vectors. */
export const PUBLISHER_SEED = new Uint8Array(createHash('sha256').update('wasmbed-protocol-vectors/publisher/v1').digest());
export const PUBLISHER_KEY = rawEd25519PublicKey(ed25519PrivateKeyFromSeed(PUBLISHER_SEED));
/** TEST-ONLY second key, for "signed by someone else". */
export const OTHER_SEED = new Uint8Array(createHash('sha256').update('wasmbed-protocol-vectors/other/v1').digest());

/** A valid WebAssembly module exporting `run: [] → []` (33 bytes). */
export const SAMPLE_MODULE = Uint8Array.from([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // magic, version 1
  0x01, 0x04, 0x01, 0x60, 0x00, 0x00, // type section: one type, func [] → []
  0x03, 0x02, 0x01, 0x00, // function section: one function of type 0
  0x07, 0x07, 0x01, 0x03, 0x72, 0x75, 0x6e, 0x00, 0x00, // export section: "run" = func 0
  0x0a, 0x04, 0x01, 0x02, 0x00, 0x0b, // code section: one body, no locals, end
]);

export const SAMPLE_MANIFEST: Manifest = {
  name: 'blinky',
  revision: 3,
  sha256: moduleSha256(SAMPLE_MODULE),
  sizeBytes: SAMPLE_MODULE.length,
  entryPoint: 'run',
  hostFunctions: ['wasmbed.gpio_write', 'wasmbed.log', 'wasmbed.sleep_ms'],
  memoryLimitBytes: 65_536,
  cpuTimeLimitMs: 50,
  config: { env: { LED_PIN: '13', PERIOD_MS: '500' }, args: ['--verbose'] },
};

export const MINIMAL_MANIFEST: Manifest = {
  name: 'noop',
  revision: 1,
  sha256: moduleSha256(SAMPLE_MODULE),
  sizeBytes: SAMPLE_MODULE.length,
  entryPoint: 'run',
  hostFunctions: [],
  memoryLimitBytes: 65_536,
  cpuTimeLimitMs: 0,
  config: { env: {}, args: [] },
};

/** With a restart policy: restart up to twice after a run ends by itself. */
export const RESTARTING_MANIFEST: Manifest = { ...MINIMAL_MANIFEST, name: 'restarting', restart: { autoRestart: true, maxRestarts: 2 } };

export const SAMPLE_MANIFEST_BYTES = encodeManifest(SAMPLE_MANIFEST);
export const SAMPLE_SIGNATURE = signManifest(SAMPLE_MANIFEST_BYTES, PUBLISHER_SEED);

/** 2026-01-01T00:00:00Z */
export const SAMPLE_TIME_MS = 1_767_225_600_000;

export const SAMPLE_HELLO_BODY = {
  firmware: 'wasmbed-fw 0.3.1',
  board: 'stm32f746g_disco',
  arch: 'thumbv7em',
  ramBytes: 327_680,
  maxFrameBytes: 4_096,
  runtime: {
    name: 'wamr',
    version: '2.4.3',
    maxModuleBytes: 131_072,
    maxInstances: 4,
    hostFunctions: ['wasmbed.gpio_write', 'wasmbed.log', 'wasmbed.sleep_ms'],
  },
  apps: [],
};

const runningBlinky = {
  appId: 'blinky',
  revision: 3,
  sha256: SAMPLE_MANIFEST.sha256,
  state: 'running',
  restarts: 0,
} as const;

export interface SampleMessage {
  readonly name: string;
  readonly description: string;
  readonly message: Message;
}

/** At least one valid message of every type, as a session would carry them. */
export const SAMPLE_MESSAGES: readonly SampleMessage[] = [
  { name: 'hello', description: 'First message of a session, no apps running.', message: { type: 'Hello', msgId: 1, correlationId: 0, body: SAMPLE_HELLO_BODY } },
  {
    name: 'hello-with-app',
    description: 'Hello after a reconnect: the device still runs blinky revision 3.',
    message: { type: 'Hello', msgId: 1, correlationId: 0, body: { ...SAMPLE_HELLO_BODY, apps: [runningBlinky] } },
  },
  {
    name: 'hello-redirect',
    description: 'Hello of a device that follows Bye.endpoint to another gateway (feature "redirect").',
    message: { type: 'Hello', msgId: 1, correlationId: 0, body: { ...SAMPLE_HELLO_BODY, features: ['redirect'] } },
  },
  {
    name: 'welcome',
    description: 'Answer to Hello (correlationId = its msgId): the device is enrolled.',
    message: { type: 'Welcome', msgId: 1, correlationId: 1, body: { deviceId: 'dev-7f3a', gatewayId: 'gw-eu-1', heartbeatIntervalMs: 10_000, serverTimeMs: SAMPLE_TIME_MS } },
  },
  {
    name: 'enrollment-pending',
    description: 'Answer to Hello: the identity awaits approval.',
    message: { type: 'EnrollmentPending', msgId: 1, correlationId: 1, body: { retryAfterMs: 30_000, reason: 'awaiting operator approval' } },
  },
  {
    name: 'rejected',
    description: 'Answer to Hello: enrollment denied; the gateway closes.',
    message: { type: 'Rejected', msgId: 1, correlationId: 1, body: { reason: 'enrollment denied by operator', code: 'denied' } },
  },
  {
    name: 'heartbeat',
    description: 'Periodic liveness and app summary.',
    message: { type: 'Heartbeat', msgId: 2, correlationId: 0, body: { seq: 1, uptimeMs: 15_000, freeMemoryBytes: 81_920, apps: [runningBlinky] } },
  },
  {
    name: 'heartbeat-ack',
    description: 'Answer to Heartbeat: echoes seq, gives the server clock.',
    message: { type: 'HeartbeatAck', msgId: 2, correlationId: 2, body: { seq: 1, serverTimeMs: SAMPLE_TIME_MS + 15_000 } },
  },
  {
    name: 'deploy',
    description: 'Deploy blinky revision 3: the manifest bytes, their signature and the publisher key (manifests.json "blinky").',
    message: {
      type: 'Deploy',
      msgId: 3,
      correlationId: 0,
      body: { appId: 'blinky', revision: 3, manifest: SAMPLE_MANIFEST_BYTES, signature: SAMPLE_SIGNATURE, publisherKey: PUBLISHER_KEY },
    },
  },
  {
    name: 'module-request',
    description: 'Pull the module from offset 0.',
    message: { type: 'ModuleRequest', msgId: 3, correlationId: 0, body: { appId: 'blinky', revision: 3, offset: 0, maxBytes: 16 } },
  },
  {
    name: 'module-chunk',
    description: 'Bytes [0, 16) of the 33-byte module.',
    message: {
      type: 'ModuleChunk',
      msgId: 4,
      correlationId: 3,
      body: { appId: 'blinky', revision: 3, offset: 0, data: SAMPLE_MODULE.subarray(0, 16), totalBytes: SAMPLE_MODULE.length },
    },
  },
  {
    name: 'module-request-resume',
    description: 'After a reconnect and a new Deploy, resume the transfer at offset 16.',
    message: { type: 'ModuleRequest', msgId: 2, correlationId: 0, body: { appId: 'blinky', revision: 3, offset: 16, maxBytes: 3_960 } },
  },
  {
    name: 'module-chunk-last',
    description: 'The remaining bytes [16, 33).',
    message: {
      type: 'ModuleChunk',
      msgId: 3,
      correlationId: 2,
      body: { appId: 'blinky', revision: 3, offset: 16, data: SAMPLE_MODULE.subarray(16), totalBytes: SAMPLE_MODULE.length },
    },
  },
  {
    name: 'deploy-result-ok',
    description: 'The module verified and runs.',
    message: { type: 'DeployResult', msgId: 4, correlationId: 3, body: { appId: 'blinky', revision: 3, ok: true, sha256: SAMPLE_MANIFEST.sha256 } },
  },
  {
    name: 'deploy-result-failed',
    description: 'The module did not match the manifest.',
    message: {
      type: 'DeployResult',
      msgId: 4,
      correlationId: 3,
      body: { appId: 'blinky', revision: 3, ok: false, error: { code: 'bad_hash', message: 'module SHA-256 differs from the manifest' } },
    },
  },
  { name: 'stop', description: 'Stop and remove blinky.', message: { type: 'Stop', msgId: 5, correlationId: 0, body: { appId: 'blinky' } } },
  { name: 'stop-result', description: 'blinky is stopped.', message: { type: 'StopResult', msgId: 6, correlationId: 5, body: { appId: 'blinky', ok: true } } },
  {
    name: 'app-status',
    description: 'blinky trapped and was restarted twice.',
    message: {
      type: 'AppStatus',
      msgId: 5,
      correlationId: 0,
      body: { appId: 'blinky', revision: 3, state: 'failed', restarts: 2, error: { code: 'trap', message: 'unreachable executed' } },
    },
  },
  {
    name: 'app-log',
    description: 'A log line of blinky (UTF-8 text).',
    message: { type: 'AppLog', msgId: 6, correlationId: 0, body: { appId: 'blinky', level: 'info', message: 'LED an — état 1', timeMs: SAMPLE_TIME_MS + 16_250 } },
  },
  {
    name: 'error-unknown-type',
    description: 'Answer to a message of an unknown type (msgId 7): not fatal.',
    message: { type: 'Error', msgId: 7, correlationId: 7, body: { code: 'unknown_type', message: 'message type 99 is unknown', fatal: false } },
  },
  {
    name: 'error-unsupported-version',
    description: 'Answer to a Hello of version 2 (always sent in envelope version 1): fatal, names the versions spoken.',
    message: { type: 'Error', msgId: 1, correlationId: 0, body: { code: 'unsupported_version', message: 'version 2 is not supported', fatal: true, supportedVersions: [1] } },
  },
  { name: 'bye-revoked', description: 'The device was revoked; the gateway closes.', message: { type: 'Bye', msgId: 8, correlationId: 0, body: { reason: 'revoked' } } },
  {
    name: 'bye-shutdown',
    description: 'The gateway shuts down; reconnect in 5 s.',
    message: { type: 'Bye', msgId: 8, correlationId: 0, body: { reason: 'shutdown', retryAfterMs: 5_000 } },
  },
  {
    name: 'bye-rebalance',
    description: 'The device is moved to another gateway: connect to endpoint at once (devices that announced "redirect").',
    message: { type: 'Bye', msgId: 8, correlationId: 0, body: { reason: 'rebalance', endpoint: 'gw-eu-2.example.net:4423' } },
  },
];

export function sampleMessage(name: string): Message {
  const found = SAMPLE_MESSAGES.find((m) => m.name === name);
  if (!found) throw new Error(`no sample message ${name}`);
  return found.message;
}
