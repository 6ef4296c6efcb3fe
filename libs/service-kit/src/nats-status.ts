import type { NatsConnection } from '@nats-io/transport-node';

/** Whether NATS is connected right now, from the connection's status events (for readiness probes). */
export function trackNatsConnection(nc: NatsConnection): () => boolean {
  let connected = true;
  void (async () => {
    for await (const status of nc.status()) {
      if (status.type === 'disconnect') connected = false;
      else if (status.type === 'reconnect') connected = true;
    }
  })();
  return () => connected && !nc.isClosed();
}
