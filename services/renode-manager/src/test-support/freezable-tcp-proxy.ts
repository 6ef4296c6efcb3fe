import { once } from 'node:events';
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';

interface ProxiedConnection {
  readonly client: Socket;
  readonly upstream: Socket;
  frozen: boolean;
}

/**
 * A TCP proxy in front of a real server whose connections can go silent: after
 * `freeze()`, the connections open at that moment stay open but nothing passes on
 * them in either direction (a gateway that stopped answering, a link that died
 * without a FIN). Connections made after it pass through as usual.
 */
export class FreezableTcpProxy {
  private readonly connections: ProxiedConnection[] = [];
  private readonly server = createServer((client) => this.accept(client));

  private constructor(
    private readonly upstreamHost: string,
    private readonly upstreamPort: number,
  ) {}

  static async start(upstreamHost: string, upstreamPort: number): Promise<FreezableTcpProxy> {
    const proxy = new FreezableTcpProxy(upstreamHost, upstreamPort);
    proxy.server.listen(0, '127.0.0.1');
    await once(proxy.server, 'listening');
    return proxy;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** Connections accepted so far. */
  get accepted(): number {
    return this.connections.length;
  }

  /** Connections that neither side has closed. */
  get open(): number {
    return this.connections.filter((c) => !c.client.destroyed && !c.upstream.destroyed).length;
  }

  /** Silences every open connection; returns how many. */
  freeze(): number {
    const open = this.connections.filter((c) => !c.frozen && !c.client.destroyed && !c.upstream.destroyed);
    for (const c of open) c.frozen = true;
    return open.length;
  }

  close(): void {
    this.server.close();
    for (const c of this.connections) {
      c.client.destroy();
      c.upstream.destroy();
    }
  }

  private accept(client: Socket): void {
    const upstream = connect(this.upstreamPort, this.upstreamHost);
    const c: ProxiedConnection = { client, upstream, frozen: false };
    this.connections.push(c);
    client.on('data', (chunk: Buffer) => c.frozen || upstream.write(chunk));
    upstream.on('data', (chunk: Buffer) => c.frozen || client.write(chunk));
    // A frozen connection does not pass its close on either: silence is the point.
    const end = () => {
      if (c.frozen) return;
      client.destroy();
      upstream.destroy();
    };
    for (const socket of [client, upstream]) {
      socket.on('error', end);
      socket.on('close', end);
    }
  }
}
