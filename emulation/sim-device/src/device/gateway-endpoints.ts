import { parseEndpoint } from './tls-connect';

/** Failed attempts in a row at a redirect target before the device goes back to its provisioned gateway. */
export const REDIRECT_ATTEMPTS = 3;

export interface DialTarget {
  /** "host:port" as given. */
  readonly endpoint: string;
  readonly host: string;
  readonly port: number;
}

function target(endpoint: string): DialTarget {
  return { endpoint, ...parseEndpoint(endpoint) };
}

/**
 * Where the device dials: the gateway it was provisioned with, unless a Bye moved
 * it elsewhere (docs/protocol.md §8.6). The new gateway stays preferred for later
 * reconnects until REDIRECT_ATTEMPTS attempts in a row there fail to reach an
 * established session: a wrong or dead endpoint must not strand the device.
 */
export class GatewayEndpoints {
  private readonly provisioned: DialTarget;
  private preferred?: DialTarget;
  private failures = 0;

  constructor(provisioned: string) {
    this.provisioned = target(provisioned);
  }

  get current(): DialTarget {
    return this.preferred ?? this.provisioned;
  }

  /** A Bye named another gateway. An endpoint the device cannot parse changes nothing. */
  redirect(endpoint: string): void {
    let next: DialTarget;
    try {
      next = target(endpoint);
    } catch {
      return;
    }
    this.preferred = next.endpoint === this.provisioned.endpoint ? undefined : next;
    this.failures = 0;
  }

  /** After each attempt (a failed connect included): whether it reached an established session. */
  attemptEnded(established: boolean): void {
    if (this.preferred === undefined) return;
    this.failures = established ? 0 : this.failures + 1;
    if (this.failures >= REDIRECT_ATTEMPTS) {
      this.preferred = undefined;
      this.failures = 0;
    }
  }
}
