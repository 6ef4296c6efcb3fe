import { JetStreamApiError } from '@nats-io/jetstream';
import { createInbox, NoRespondersError, TimeoutError, type Msg, type MsgHdrs, type NatsConnection, type Subscription } from '@nats-io/transport-node';

export interface PubAckResult {
  readonly seq: number;
  readonly duplicate: boolean;
}

interface Pending {
  readonly resolve: (ack: PubAckResult) => void;
  readonly reject: (err: Error) => void;
  readonly deadline: number;
}

interface ApiReply {
  seq?: number;
  duplicate?: boolean;
  error?: { code: number; err_code: number; description: string };
}

/**
 * Publishes to JetStream and collects the PubAcks on one shared inbox.
 *
 * Why not `js.publish`: each of its calls creates a request object, a timer and
 * (with async traces) an Error for its stack, which on a 2-core box costs more CPU
 * than everything else in an append. Here one wildcard subscription receives every
 * ack, and one sweeper enforces deadlines, so a pipelined writer pays only for the
 * message itself. Failures surface as the client's own error types
 * (JetStreamApiError, NoRespondersError, TimeoutError) so callers map them as before.
 */
export class PublishAckMux {
  readonly #nc: NatsConnection;
  readonly #prefix: string;
  readonly #timeoutMs: number;
  readonly #pending = new Map<string, Pending>();
  readonly #sub: Subscription;
  readonly #sweeper: NodeJS.Timeout;
  #next = 0;
  #closed = false;

  constructor(nc: NatsConnection, timeoutMs: number) {
    this.#nc = nc;
    this.#timeoutMs = timeoutMs;
    this.#prefix = `${createInbox()}.`;
    this.#sub = nc.subscribe(`${this.#prefix}*`, { callback: (err, msg) => (err ? this.#failAll(err) : this.#onReply(msg)) });
    this.#sweeper = setInterval(() => this.#sweep(), Math.max(10, Math.min(250, Math.floor(timeoutMs / 4))));
    this.#sweeper.unref();
  }

  get inFlight(): number {
    return this.#pending.size;
  }

  publish(subject: string, body: Uint8Array, headers: MsgHdrs): Promise<PubAckResult> {
    if (this.#closed) return Promise.reject(new Error('publish ack collector is closed'));
    const token = (this.#next++).toString(36);
    return new Promise<PubAckResult>((resolve, reject) => {
      this.#pending.set(token, { resolve, reject, deadline: Date.now() + this.#timeoutMs });
      try {
        this.#nc.publish(subject, body, { headers, reply: this.#prefix + token });
      } catch (err) {
        this.#pending.delete(token);
        reject(err instanceof Error ? err : new Error(String(err)));
      }
    });
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#sweeper);
    this.#sub.unsubscribe();
    this.#failAll(new Error('publish ack collector closed'));
  }

  #onReply(msg: Msg): void {
    const token = msg.subject.slice(this.#prefix.length);
    const pending = this.#pending.get(token);
    if (pending === undefined) return; // timed out already
    this.#pending.delete(token);
    if (msg.data.length === 0 && msg.headers?.code === 503) {
      pending.reject(new NoRespondersError(msg.subject));
      return;
    }
    let reply: ApiReply;
    try {
      reply = msg.json<ApiReply>();
    } catch (err) {
      pending.reject(new Error('unparseable JetStream publish ack', { cause: err }));
      return;
    }
    if (reply.error !== undefined) pending.reject(new JetStreamApiError(reply.error));
    else if (typeof reply.seq !== 'number') pending.reject(new Error('JetStream publish ack without a sequence'));
    else pending.resolve({ seq: reply.seq, duplicate: reply.duplicate === true });
  }

  #sweep(): void {
    const now = Date.now();
    for (const [token, pending] of this.#pending) {
      if (pending.deadline <= now) {
        this.#pending.delete(token);
        pending.reject(new TimeoutError());
      }
    }
  }

  #failAll(err: Error): void {
    for (const pending of this.#pending.values()) pending.reject(err);
    this.#pending.clear();
  }
}
