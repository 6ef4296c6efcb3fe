import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { NAME_PATTERN } from '@wasmbed/domain';
import { ConfigError } from '@wasmbed/errors';
import { apiTokensSchema, hostPortSchema, logLevelSchema, parseEnvConfig, type ApiToken, type HostPort, type LogLevel } from '@wasmbed/service-kit';
import { z } from 'zod';
import { BACKEND_KINDS, type BackendKind } from './boards/board-catalogue';
import type { RestartPolicy } from './lifecycle/lifecycle';
import { isGatewayEndpoint, MAX_PUBLISHER_KEYS } from './provisioning/provisioning-image';

export interface RenodeManagerConfig {
  readonly natsUrl: string;
  /** Probes, metrics, /status and the HTTP face of the commands. */
  readonly http: HostPort;
  /** Names this manager on device log lines (as their `gatewayId`) and in labels. */
  readonly managerId: string;
  /** Commands are served on `<prefix>.<verb>`. */
  readonly subjectPrefix: string;
  /** The api's gRPC address and a token with the operator role, for RegisterDevice/RevokeDevice. */
  readonly api: { readonly address: string; readonly token: string; readonly tlsCaFile: string | null };
  /** Where the bridges connect: the gateway's device (TLS) port. */
  readonly gateway: HostPort;
  /** What devices are provisioned to dial (the name their TLS checks the gateway certificate against). */
  readonly gatewayEndpoint: string;
  /**
   * Further endpoints (lowercase host:port) the bridges follow a device to when its
   * console says it dials one (a gateway's Bye redirect); any other is refused.
   */
  readonly gatewayAllow: readonly string[];
  /** The CA that issues device certificates (PEM files). */
  readonly deviceCa: { readonly certFile: string; readonly keyFile: string };
  /** PEM bundle of the CAs devices trust for the gateway's certificate; null = the device CA. */
  readonly gatewayCaFile: string | null;
  /** Ed25519 keys (32 bytes each) of the app publishers devices accept manifests from; empty = any (the api and gateway filter). */
  readonly publisherKeys: readonly Buffer[];
  readonly certificateValidityDays: number;
  /** `firmware/build`: `<target>/wasmbed.elf` per board. */
  readonly firmwareDir: string;
  /** Device files (provisioning images with private key seeds, Renode scripts) live below this, 0700. */
  readonly workDir: string;
  /** Backends this manager may use when installed. */
  readonly backends: readonly BackendKind[];
  readonly renodeBinary: string;
  readonly maxDevices: number;
  readonly restart: RestartPolicy;
  /** How long an emulator may take to attach its serial ports. */
  readonly attachTimeoutMs: number;
  /** Revoke a deleted device in the fleet (its key is gone with its files). */
  readonly revokeOnDelete: boolean;
  /** Bearer tokens for the HTTP write routes (admin role). */
  readonly adminTokens: readonly ApiToken[];
  readonly logLevel: LogLevel;
}

// dist/config.js or src/config.ts → the repository's firmware/build.
const DEFAULT_FIRMWARE_DIR = resolve(__dirname, '..', '..', '..', 'firmware', 'build');

const booleanText = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { error: 'must be true or false' })
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const millis = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

// These directories end up on emulator command lines (see backends/argv-safety.ts).
const emulatorPath = z
  .string()
  .regex(/^\/[A-Za-z0-9._+/-]+$/, "must be an absolute path of letters, digits, '.', '_', '+', '-' and '/'")
  .transform((p) => resolve(p));

const requiredFile = (what: string) => z.string({ error: `is required: path of ${what}` }).min(1);

const backendList = z
  .string()
  .transform((text) => [...new Set(text.split(',').map((b) => b.trim()).filter((b) => b.length > 0))])
  .pipe(z.array(z.enum(BACKEND_KINDS as unknown as [BackendKind, ...BackendKind[]], { error: `must list backends among ${BACKEND_KINDS.join(', ')}` })));

// The api's WASMBED_TRUSTED_PUBLISHER_KEYS syntax: comma-separated 64-hex Ed25519 keys.
const publisherKeyList = z
  .string()
  .transform((text) => [...new Set(text.split(',').map((k) => k.trim().toLowerCase()).filter((k) => k.length > 0))])
  .pipe(z.array(z.string().regex(/^[0-9a-f]{64}$/, 'must be 32-byte Ed25519 public keys as 64 hex digits')).max(MAX_PUBLISHER_KEYS, `at most ${MAX_PUBLISHER_KEYS} keys fit a device's publisher block`));

// Endpoints as devices dial them (the firmware's syntax), compared as lowercase text.
const endpointList = z
  .string()
  .transform((text) => [...new Set(text.split(',').map((e) => e.trim().toLowerCase()).filter((e) => e.length > 0))])
  .pipe(z.array(z.string().refine(isGatewayEndpoint, 'must list host:port endpoints as devices dial them (DNS name, IPv4 or [IPv6]; port 1-65535)')));

const schema = z.object({
  WASMBED_NATS_URL: z.string().min(1).default('nats://127.0.0.1:4222'),
  WASMBED_EMU_HTTP_ADDR: hostPortSchema('127.0.0.1:8094').prefault('127.0.0.1:8094'),
  WASMBED_EMU_ID: z.string().regex(NAME_PATTERN, 'must be a lowercase DNS label').default('renode-manager'),
  WASMBED_EMU_SUBJECT_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/, 'must be NATS subject tokens separated by dots, without wildcards')
    .default('wasmbed.emu'),
  WASMBED_API_GRPC: hostPortSchema('127.0.0.1:50051').prefault('127.0.0.1:50051'),
  WASMBED_API_TOKEN: z.string({ error: 'is required: an api token with the operator role (RegisterDevice, RevokeDevice)' }).min(1),
  WASMBED_API_TLS_CA: z.string().min(1).optional(),
  WASMBED_EMU_GATEWAY: hostPortSchema('127.0.0.1:4423').prefault('127.0.0.1:4423'),
  WASMBED_EMU_GATEWAY_ENDPOINT: z.string().refine(isGatewayEndpoint, 'must be host:port as devices dial it (DNS name, IPv4 or [IPv6]; port 1-65535)').optional(),
  WASMBED_EMU_GATEWAY_ALLOW: endpointList.prefault(''),
  WASMBED_EMU_DEVICE_CA_CERT: requiredFile('the device CA certificate (PEM), e.g. <pki>/ca.crt'),
  WASMBED_EMU_DEVICE_CA_KEY: requiredFile('the device CA private key (PEM), e.g. <pki>/ca.key'),
  WASMBED_EMU_GATEWAY_CA: z.string().min(1).optional(),
  WASMBED_EMU_PUBLISHER_KEYS: publisherKeyList.prefault(''),
  WASMBED_EMU_CERT_VALIDITY_DAYS: z.coerce.number().int().min(1).max(3650).default(365),
  WASMBED_EMU_FIRMWARE_DIR: emulatorPath.default(DEFAULT_FIRMWARE_DIR),
  WASMBED_EMU_WORK_DIR: emulatorPath.default(join(tmpdir(), 'wasmbed-renode-manager')),
  WASMBED_EMU_BACKENDS: backendList.prefault('qemu,renode'),
  WASMBED_EMU_RENODE_BIN: z.string().min(1).default('renode'),
  WASMBED_EMU_MAX_DEVICES: z.coerce.number().int().min(1).max(1000).default(16),
  WASMBED_EMU_MAX_RESTARTS: z.coerce.number().int().min(0).max(1000).default(3),
  WASMBED_EMU_RESTART_BACKOFF_MS: millis(10, 600_000).default(1_000),
  WASMBED_EMU_RESTART_BACKOFF_MAX_MS: millis(10, 3_600_000).default(30_000),
  WASMBED_EMU_STABLE_AFTER_MS: millis(0, 86_400_000).default(60_000),
  WASMBED_EMU_ATTACH_TIMEOUT_MS: millis(100, 600_000).default(20_000),
  WASMBED_EMU_REVOKE_ON_DELETE: booleanText.prefault('true'),
  WASMBED_EMU_ADMIN_TOKENS: apiTokensSchema().prefault('[]'),
  WASMBED_LOG_LEVEL: logLevelSchema,
});

/** Reads and validates the manager's configuration once, at the edge; every problem is listed. */
export function loadRenodeManagerConfig(env: NodeJS.ProcessEnv = process.env): RenodeManagerConfig {
  const c = parseEnvConfig(schema, env, 'renode-manager');
  const gateway = c.WASMBED_EMU_GATEWAY;
  const gatewayEndpoint = c.WASMBED_EMU_GATEWAY_ENDPOINT ?? `${gateway.host.includes(':') ? `[${gateway.host}]` : gateway.host}:${gateway.port}`;
  if (!isGatewayEndpoint(gatewayEndpoint)) {
    const issue = `WASMBED_EMU_GATEWAY_ENDPOINT is unset and WASMBED_EMU_GATEWAY (${gatewayEndpoint}) is no endpoint a device can dial: set WASMBED_EMU_GATEWAY_ENDPOINT`;
    throw new ConfigError(`invalid renode-manager configuration:\n  ${issue}`, [issue]);
  }
  return {
    natsUrl: c.WASMBED_NATS_URL,
    http: c.WASMBED_EMU_HTTP_ADDR,
    managerId: c.WASMBED_EMU_ID,
    subjectPrefix: c.WASMBED_EMU_SUBJECT_PREFIX,
    api: { address: `${c.WASMBED_API_GRPC.host}:${c.WASMBED_API_GRPC.port}`, token: c.WASMBED_API_TOKEN, tlsCaFile: c.WASMBED_API_TLS_CA ?? null },
    gateway,
    gatewayEndpoint,
    gatewayAllow: c.WASMBED_EMU_GATEWAY_ALLOW,
    deviceCa: { certFile: c.WASMBED_EMU_DEVICE_CA_CERT, keyFile: c.WASMBED_EMU_DEVICE_CA_KEY },
    gatewayCaFile: c.WASMBED_EMU_GATEWAY_CA ?? null,
    publisherKeys: c.WASMBED_EMU_PUBLISHER_KEYS.map((hex) => Buffer.from(hex, 'hex')),
    certificateValidityDays: c.WASMBED_EMU_CERT_VALIDITY_DAYS,
    firmwareDir: c.WASMBED_EMU_FIRMWARE_DIR,
    workDir: c.WASMBED_EMU_WORK_DIR,
    backends: c.WASMBED_EMU_BACKENDS,
    renodeBinary: c.WASMBED_EMU_RENODE_BIN,
    maxDevices: c.WASMBED_EMU_MAX_DEVICES,
    restart: {
      maxRestarts: c.WASMBED_EMU_MAX_RESTARTS,
      backoffBaseMs: c.WASMBED_EMU_RESTART_BACKOFF_MS,
      backoffMaxMs: Math.max(c.WASMBED_EMU_RESTART_BACKOFF_MS, c.WASMBED_EMU_RESTART_BACKOFF_MAX_MS),
      stableAfterMs: c.WASMBED_EMU_STABLE_AFTER_MS,
    },
    attachTimeoutMs: c.WASMBED_EMU_ATTACH_TIMEOUT_MS,
    revokeOnDelete: c.WASMBED_EMU_REVOKE_ON_DELETE,
    adminTokens: c.WASMBED_EMU_ADMIN_TOKENS,
    logLevel: c.WASMBED_LOG_LEVEL,
  };
}
