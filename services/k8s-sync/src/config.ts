import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import { ConfigError } from '@wasmbed/errors';
import { hostPortSchema, logLevelSchema, parseEnvConfig, type HostPort, type LogLevel } from '@wasmbed/service-kit';
import { z } from 'zod';
import type { KubeAccess } from './kube/kube-config';

export interface K8sSyncConfig {
  readonly kube: KubeAccess;
  /** Namespace of the Device, Application and Gateway objects (and of the Lease). */
  readonly namespace: string;
  readonly api: {
    /** host:port of the api's gRPC listener. */
    readonly address: string;
    /** Bearer token: operator role for devices and applications, admin for gateways. */
    readonly token: string;
    /** PEM CA file: TLS to the api (grpc-kit sends a token in plaintext to loopback addresses only). */
    readonly caPath?: string;
    readonly timeoutMs: number;
  };
  /** /healthz, /readyz, /metrics, /status. */
  readonly http: HostPort;
  readonly statusMinIntervalMs: number;
  /** Status writes under way at once. */
  readonly statusMaxInFlight: number;
  /** Objects reconciled at once (never one object twice at once). */
  readonly workers: number;
  readonly identity: string;
  readonly lease: { readonly name: string; readonly durationMs: number; readonly renewIntervalMs: number };
  /** Every object is reconciled again this often, and the device read model listed afresh. */
  readonly resyncMs: number;
  readonly logLevel: LogLevel;
}

/**
 * The Device path is bound by the apiserver's writes, not by round trips (bench:k8s-status):
 * 16 workers registered no faster than 4 at 1,000 devices, and at 10,000 on a loaded machine
 * they queued the sync's own Lease renewals behind object writes until it lost the lease
 * again and again (each new term reconciles every object). Raise it where the apiserver has room.
 */
export const DEFAULT_WORKERS = 4;
/** bench:k8s-status: the apiserver wrote no faster with 16 status patches in flight than with 8. */
export const DEFAULT_STATUS_MAX_IN_FLIGHT = 8;

const DNS_LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
const existingFile = z.string().min(1).refine((path) => existsSync(path), 'file not found');
const ms = (min: number, max: number, fallback: number) => z.coerce.number().int().min(min).max(max).default(fallback);

const schema = z
  .object({
    WASMBED_KUBECONFIG: existingFile.optional(),
    KUBERNETES_SERVICE_HOST: z.string().optional(),
    WASMBED_K8S_NAMESPACE: z.string().regex(DNS_LABEL, 'must be a namespace name (DNS label)').default('wasmbed'),
    WASMBED_API_GRPC: z
      .string()
      .refine((v) => hostPortSchema('127.0.0.1:50051').safeParse(v).success, 'must be host:port, e.g. 127.0.0.1:50051')
      .default('127.0.0.1:50051'),
    WASMBED_API_TOKEN: z.string({ error: 'is required: an api token with the operator role (admin to manage gateways)' }).min(1, 'must not be empty'),
    WASMBED_API_CA: existingFile.optional(),
    WASMBED_API_TIMEOUT_MS: ms(100, 120_000, 10_000),
    WASMBED_K8S_SYNC_HOST: z.string().min(1).default('127.0.0.1'),
    WASMBED_K8S_SYNC_PORT: z.coerce.number().int().min(0).max(65535).default(8093),
    WASMBED_K8S_STATUS_MIN_INTERVAL_MS: ms(0, 600_000, 5_000),
    WASMBED_K8S_STATUS_MAX_IN_FLIGHT: z.coerce.number().int().min(1).max(256).default(DEFAULT_STATUS_MAX_IN_FLIGHT),
    WASMBED_K8S_SYNC_WORKERS: z.coerce.number().int().min(1).max(256).default(DEFAULT_WORKERS),
    WASMBED_K8S_SYNC_IDENTITY: z.string().min(1).max(128).optional(),
    WASMBED_K8S_LEASE_NAME: z.string().regex(DNS_LABEL, 'must be a DNS label').default('wasmbed-k8s-sync'),
    WASMBED_K8S_LEASE_DURATION_MS: ms(1_000, 600_000, 15_000),
    WASMBED_K8S_LEASE_RENEW_MS: ms(200, 300_000, 5_000),
    WASMBED_K8S_RESYNC_MS: ms(1_000, 86_400_000, 300_000),
    WASMBED_LOG_LEVEL: logLevelSchema,
  })
  .refine((c) => c.WASMBED_K8S_LEASE_RENEW_MS * 2 <= c.WASMBED_K8S_LEASE_DURATION_MS, {
    path: ['WASMBED_K8S_LEASE_RENEW_MS'],
    message: 'must be at most half of WASMBED_K8S_LEASE_DURATION_MS (the leader renews more than once per lease)',
  });

/**
 * Reads and validates the sync's configuration once, at the edge. Without Kubernetes
 * (no kubeconfig, not in a pod) it refuses to start: the rest of the stack runs without it.
 */
export function loadK8sSyncConfig(env: NodeJS.ProcessEnv = process.env): K8sSyncConfig {
  const c = parseEnvConfig(schema, env, 'k8s-sync');
  let kube: KubeAccess;
  if (c.WASMBED_KUBECONFIG !== undefined) kube = { kubeconfigPath: c.WASMBED_KUBECONFIG };
  else if (c.KUBERNETES_SERVICE_HOST) kube = { inCluster: true };
  else {
    throw new ConfigError(
      'invalid k8s-sync configuration:\n  WASMBED_KUBECONFIG is not set and this is not a Kubernetes pod (no KUBERNETES_SERVICE_HOST): ' +
        'point it at a kubeconfig, or leave k8s-sync out (the rest of the stack runs without Kubernetes)',
      ['WASMBED_KUBECONFIG missing'],
    );
  }
  return {
    kube,
    namespace: c.WASMBED_K8S_NAMESPACE,
    api: { address: c.WASMBED_API_GRPC, token: c.WASMBED_API_TOKEN, ...(c.WASMBED_API_CA ? { caPath: c.WASMBED_API_CA } : {}), timeoutMs: c.WASMBED_API_TIMEOUT_MS },
    http: { host: c.WASMBED_K8S_SYNC_HOST, port: c.WASMBED_K8S_SYNC_PORT },
    statusMinIntervalMs: c.WASMBED_K8S_STATUS_MIN_INTERVAL_MS,
    statusMaxInFlight: c.WASMBED_K8S_STATUS_MAX_IN_FLIGHT,
    workers: c.WASMBED_K8S_SYNC_WORKERS,
    identity: c.WASMBED_K8S_SYNC_IDENTITY ?? `${hostname()}-${process.pid}`,
    lease: { name: c.WASMBED_K8S_LEASE_NAME, durationMs: c.WASMBED_K8S_LEASE_DURATION_MS, renewIntervalMs: c.WASMBED_K8S_LEASE_RENEW_MS },
    resyncMs: c.WASMBED_K8S_RESYNC_MS,
    logLevel: c.WASMBED_LOG_LEVEL,
  };
}
