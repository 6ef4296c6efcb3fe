import { hostPortSchema, type HostPort } from '@wasmbed/service-kit';
import { isGatewayEndpoint } from '../provisioning/provisioning-image';

export type GatewayRoute = { readonly ok: true; readonly target: HostPort } | { readonly ok: false; readonly reason: string };

const hostPort = hostPortSchema('gateway.example:4423');

/** Host names are case-insensitive; an endpoint is compared as lowercase text, never by what it resolves to. */
export function normaliseEndpoint(endpoint: string): string {
  return endpoint.toLowerCase();
}

/**
 * Where a bridge may connect when a device dials an endpoint. The endpoint comes
 * from the device's console, so it is untrusted input: it must be a plain
 * host:port (the firmware's own endpoint syntax, no more), and it must be one an
 * operator allowed. The provisioned endpoint always is, and goes to the
 * configured bridge target (devices may dial a name the manager reaches under
 * another address); the endpoints of `allowed` (WASMBED_EMU_GATEWAY_ALLOW) are
 * connected to as written. Matching is on the text, not on resolved addresses, so
 * a device cannot steer the bridge with a name that happens to resolve somewhere
 * allowed.
 */
export class GatewayRoutes {
  private readonly provisioned: string;
  private readonly allowed: ReadonlySet<string>;

  constructor(
    provisionedEndpoint: string,
    /** Where the provisioned endpoint is reached from this manager. */
    readonly gateway: HostPort,
    allowed: readonly string[] = [],
  ) {
    this.provisioned = normaliseEndpoint(provisionedEndpoint);
    this.allowed = new Set(allowed.map(normaliseEndpoint));
  }

  /** Every endpoint a device may be bridged to, the provisioned one first. */
  get endpoints(): string[] {
    return [this.provisioned, ...[...this.allowed].filter((e) => e !== this.provisioned)];
  }

  route(endpoint: string): GatewayRoute {
    if (!isGatewayEndpoint(endpoint)) return { ok: false, reason: 'not a host:port endpoint' };
    const key = normaliseEndpoint(endpoint);
    if (key === this.provisioned) return { ok: true, target: this.gateway };
    if (!this.allowed.has(key)) return { ok: false, reason: 'not an allowed gateway endpoint (WASMBED_EMU_GATEWAY_ALLOW)' };
    const parsed = hostPort.safeParse(key);
    // isGatewayEndpoint accepts a subset of what hostPortSchema does; this is belt and braces.
    return parsed.success ? { ok: true, target: parsed.data } : { ok: false, reason: 'not a host:port endpoint' };
  }
}
