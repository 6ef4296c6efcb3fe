import { InvalidCommand } from '../shared/errors';
import { requireInteger, requireName, requirePositiveInt } from '../shared/validation';

export interface GatewayConfig {
  /** host:port where devices connect: a DNS name, an IPv4 address or a bracketed IPv6 address. */
  readonly endpoint: string;
  readonly region: string;
  /** Most device sessions the gateway serves at once. */
  readonly capacity: number;
  readonly heartbeatIntervalSeconds: number;
  /** How long a connecting device may take to finish enrolling. */
  readonly enrollmentTimeoutSeconds: number;
}

export const DEFAULT_HEARTBEAT_INTERVAL_SECONDS = 30;
export const DEFAULT_ENROLLMENT_TIMEOUT_SECONDS = 60;

const HOSTNAME = /^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;
const IPV6 = /^\[[0-9A-Fa-f:.]{2,45}\]$/;

function requireEndpoint(field: string, value: unknown): string {
  const match = typeof value === 'string' ? /^(.+):(\d{1,5})$/.exec(value) : null;
  const host = match?.[1] ?? '';
  const port = Number(match?.[2]);
  if (!match || !(HOSTNAME.test(host) || IPV6.test(host)) || port < 1 || port > 65535) {
    throw new InvalidCommand(field, 'must be host:port with a DNS name, IPv4 or [IPv6] host and a port from 1 to 65535');
  }
  return value as string;
}

/** Validators per setting, shared by registration (all required but defaults) and updates (any subset). */
export const CONFIG_FIELDS: { readonly [K in keyof GatewayConfig]: (field: string, value: unknown) => GatewayConfig[K] } = {
  endpoint: requireEndpoint,
  region: requireName,
  capacity: requirePositiveInt,
  heartbeatIntervalSeconds: (field, value) => requireInteger(field, value, 1, 3600),
  enrollmentTimeoutSeconds: (field, value) => requireInteger(field, value, 1, 3600),
};

export function requireConfig(data: Readonly<Record<string, unknown>>): GatewayConfig {
  return {
    endpoint: CONFIG_FIELDS.endpoint('data.endpoint', data.endpoint),
    region: CONFIG_FIELDS.region('data.region', data.region),
    capacity: CONFIG_FIELDS.capacity('data.capacity', data.capacity),
    heartbeatIntervalSeconds: CONFIG_FIELDS.heartbeatIntervalSeconds(
      'data.heartbeatIntervalSeconds',
      data.heartbeatIntervalSeconds ?? DEFAULT_HEARTBEAT_INTERVAL_SECONDS,
    ),
    enrollmentTimeoutSeconds: CONFIG_FIELDS.enrollmentTimeoutSeconds(
      'data.enrollmentTimeoutSeconds',
      data.enrollmentTimeoutSeconds ?? DEFAULT_ENROLLMENT_TIMEOUT_SECONDS,
    ),
  };
}

/** The settings an update names, validated; throws if it names none. */
export function requireConfigChanges(data: Readonly<Record<string, unknown>>): Partial<GatewayConfig> {
  const keys = (Object.keys(CONFIG_FIELDS) as (keyof GatewayConfig)[]).filter((k) => data[k] !== undefined);
  if (keys.length === 0) throw new InvalidCommand('data', `must set at least one of ${Object.keys(CONFIG_FIELDS).join(', ')}`);
  return Object.fromEntries(keys.map((k) => [k, CONFIG_FIELDS[k](`data.${k}`, data[k])]));
}
