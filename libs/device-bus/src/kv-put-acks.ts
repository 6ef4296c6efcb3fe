import { JetStreamApiError } from '@nats-io/jetstream';
import { createInbox, NoRespondersError, TimeoutError, type Msg, type NatsConnection, type Subscription } from '@nats-io/transport-node';

interface Waiter {
  readonly resolve: (revision: number) => void;
  readonly reject: (err: Error) => void;
}

interface StoreAck {
  seq?: number;
  error?: { code: number; err_code: number; description: string };
}

/**
 * KV puts as plain publishes whose acks come back on one shared inbox.
 *
 * `kv.put` is a request per call (a request object, a timer, an error kept for
 * its stack): on a gateway writing a record per heartbeat that cost more than the
 * heartbeat itself. Here a put is one publish with a reply token. Timeouts go by
 * generation instead of per-put timers: every `timeoutMs` the waiters of the
 * previous generation fail, so a lost ack is reported one to two timeouts late.
 */
export class KvPutAcks {
  private readonly prefix = `${createInbox()}.`;
  private readonly sub: Subscription;
  private current = new Map<number, Waiter>();
  private previous = new Map<number, Waiter>();
  private nextToken = 0;
  private rotation?: NodeJS.Timeout;

  constructor(
    private readonly nc: NatsConnection,
    private readonly timeoutMs: number,
  ) {
    this.sub = nc.subscribe(`${this.prefix}*`, { callback: (err, msg) => (err ? this.failAll(err) : this.acked(msg)) });
    void this.sub.closed.then(() => this.failAll(new Error('the KV ack subscription closed')));
  }

  /** Publishes `value` to the KV subject; resolves with the entry's revision once the server stored it. */
  put(subject: string, value: Uint8Array): Promise<number> {
    const token = this.nextToken++;
    return new Promise<number>((resolve, reject) => {
      this.current.set(token, { resolve, reject });
      this.rotation ??= setInterval(() => this.rotate(), this.timeoutMs).unref();
      try {
        this.nc.publish(subject, value, { reply: this.prefix + token.toString(36) });
      } catch (err) {
        this.current.delete(token);
        reject(err instanceof Error ? err : new Error(String(err)));
      }
    });
  }

  private take(token: number): Waiter | undefined {
    const waiter = this.current.get(token) ?? this.previous.get(token);
    if (waiter !== undefined && !this.current.delete(token)) this.previous.delete(token);
    return waiter;
  }

  private acked(msg: Msg): void {
    const waiter = this.take(Number.parseInt(msg.subject.slice(this.prefix.length), 36));
    if (waiter === undefined) return; // already timed out
    if (msg.data.length === 0 && msg.headers?.code === 503) return waiter.reject(new NoRespondersError(msg.subject));
    let ack: StoreAck;
    try {
      ack = msg.json<StoreAck>();
    } catch (err) {
      return waiter.reject(new Error('unparseable KV put ack', { cause: err }));
    }
    if (ack.error !== undefined) waiter.reject(new JetStreamApiError(ack.error));
    else if (typeof ack.seq === 'number') waiter.resolve(ack.seq);
    else waiter.reject(new Error('KV put ack without a sequence'));
  }

  private rotate(): void {
    const expired = this.previous;
    this.previous = this.current;
    this.current = new Map();
    for (const waiter of expired.values()) waiter.reject(new TimeoutError());
    if (this.previous.size === 0) {
      clearInterval(this.rotation);
      this.rotation = undefined;
    }
  }

  private failAll(err: Error): void {
    const waiters = [...this.previous.values(), ...this.current.values()];
    this.previous = new Map();
    this.current = new Map();
    for (const waiter of waiters) waiter.reject(err);
  }
}
