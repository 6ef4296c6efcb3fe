import { DeliverPolicy, type ConsumerMessages, type JetStreamClient, type JsMsg } from '@nats-io/jetstream';
import { EventStoreUnavailableError } from './errors';
import type { RawCommit } from './commit-codec';
import { toStoreError } from './nats-errors';
import type { DomainEvent, RecordedEvent, SubscribeOptions, Subscription } from './types';

export interface SubscriptionSource {
  readonly js: JetStreamClient;
  readonly streamName: string;
  readonly decode: <E extends DomainEvent>(raw: RawCommit) => RecordedEvent<E>[];
  /** Called once when the subscription has ended, whatever the reason. */
  readonly onEnded: (sub: Subscription) => void;
}

const PREFETCH = 100;

/**
 * Catch-up then live delivery through an ordered consumer starting at
 * afterPosition + 1: the client recreates the broker consumer after gaps or
 * reconnects, so commits arrive exactly once and in order. One commit is handed to
 * onCommit at a time; a decode error, a failing onCommit or a lost connection ends
 * the subscription and is reported through onError.
 */
export async function startSubscription<E extends DomainEvent>(
  source: SubscriptionSource,
  options: SubscribeOptions<E>,
): Promise<Subscription> {
  const afterPosition = options.afterPosition ?? 0;
  let messages: ConsumerMessages;
  let deleteConsumer: () => Promise<unknown>;
  try {
    const consumer = await source.js.consumers.get(source.streamName, {
      deliver_policy: DeliverPolicy.StartSequence,
      opt_start_seq: afterPosition + 1,
    });
    messages = await consumer.consume({ max_messages: PREFETCH });
    deleteConsumer = () => consumer.delete();
  } catch (err) {
    throw toStoreError('subscribe', err);
  }

  let lastPosition = afterPosition;
  let stopping = false;
  // Never lets an error vanish, nor a throwing onError turn `closed` into a rejection.
  // Warnings carry text: emitWarning rejects Error objects from other realms (e.g. jest's sandbox).
  const warn = (err: unknown): void => {
    process.emitWarning(err instanceof Error ? `${err.name}: ${err.message}` : String(err), 'WasmbedSubscriptionError');
  };
  const report = (err: Error): void => {
    if (options.onError === undefined) return warn(err);
    try {
      options.onError(err);
    } catch (handlerError) {
      warn(handlerError);
    }
  };

  // Handler errors are the caller's own and pass unchanged; broker failures are mapped.
  const deliver = async (m: JsMsg): Promise<Error | undefined> => {
    try {
      const events = source.decode<E>({ subject: m.subject, position: m.seq, storedAt: m.time.toISOString(), body: m.data });
      await options.onCommit(events);
      lastPosition = m.seq;
      return undefined;
    } catch (err) {
      return err instanceof Error ? err : new Error(String(err));
    }
  };

  const run = async (): Promise<void> => {
    let failure: Error | undefined;
    try {
      for await (const m of messages) {
        // Buffered messages may still be yielded after stop(): leave them for the next subscription.
        if (stopping) break;
        failure = await deliver(m);
        if (failure !== undefined) break;
      }
      if (failure === undefined && !stopping) {
        failure = new EventStoreUnavailableError('subscribe', { cause: new Error('consumer ended (connection closed?)') });
      }
    } catch (err) {
      if (!stopping) failure = toStoreError('subscribe', err);
    } finally {
      stopping = true;
      await messages.close().catch(() => undefined);
      await deleteConsumer().catch(() => undefined);
      if (failure !== undefined) report(failure);
    }
  };

  const subscription: Subscription = {
    get lastPosition() {
      return lastPosition;
    },
    closed: run().finally(() => source.onEnded(subscription)),
    async stop() {
      stopping = true;
      messages.stop();
      await subscription.closed;
    },
  };
  return subscription;
}
