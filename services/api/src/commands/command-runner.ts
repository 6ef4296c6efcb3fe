import { contextOf, initialStateOf, type AggregateType, type Command, type Decider } from '@wasmbed/domain';
import { deterministicEventId, handleCommand, type DomainEvent, type EventStore, type RecordedEvent, type StreamRef } from '@wasmbed/event-log';
import { domainEventOf } from '@wasmbed/read-models';
import type { Logger } from '../logger';
import type { CallContext } from './call-context';
import { ExpectedVersionStore } from './expected-version-store';
import { toRequestError } from './request-fields';

export interface CommandTarget<C, E extends DomainEvent, S> {
  readonly aggregateType: AggregateType;
  readonly decider: Decider<C, E, S>;
}

export interface CommandOutcome<E extends DomainEvent, S> {
  /** The aggregate's version after the command (for a retried command id: after its first run). */
  readonly version: number;
  readonly events: RecordedEvent<E>[];
  readonly state: S;
}

export interface CommandRunnerOptions {
  readonly store: EventStore;
  /** Resolves once this instance's read models show `position` of `context`. */
  readonly waitForReadModels: (context: string, position: number) => Promise<void>;
  /**
   * The aggregate's state and stream version as this instance's read models hold
   * them: a command is decided on it without reading the stream (handleCommand's
   * knownState; a stale one costs a version conflict and the read).
   */
  readonly knownStateOf?: (aggregateType: AggregateType, aggregateId: string) => Promise<{ state: unknown; streamVersion: number } | undefined>;
  readonly logger: Logger;
}

export interface RunOptions {
  /** 0 = don't check. */
  readonly expectedVersion: number;
  /** Request field names for domain fields named differently (see requestFieldOf). */
  readonly fieldRenames?: Readonly<Record<string, string>>;
}

/**
 * Runs one command against one aggregate stream: optional expected-version
 * check, load → decide → append (handleCommand), then waits until this
 * instance's read models include the commit, so a query right after the
 * reply sees it (read-your-writes).
 */
export class CommandRunner {
  constructor(private readonly options: CommandRunnerOptions) {}

  async run<C extends Command, E extends DomainEvent, S>(
    target: CommandTarget<C, E, S>,
    aggregateId: string,
    call: CallContext,
    build: (metadata: Command['metadata']) => C,
    run: RunOptions,
  ): Promise<CommandOutcome<E, S>> {
    const stream = { aggregateType: target.aggregateType, aggregateId };
    // Only for commands without an expected version: that check needs the stream as it is.
    const known = run.expectedVersion === 0 ? await this.options.knownStateOf?.(target.aggregateType, aggregateId) : undefined;
    const result = await handleCommand({
      store: this.#storeFor(stream, run.expectedVersion, call),
      decider: target.decider,
      stream,
      command: build({ now: call.now, actor: call.actor }),
      metadata: { commandId: call.commandId, correlationId: call.correlationId, actor: call.actor, now: call.now },
      ...(known === undefined ? {} : { knownState: known as { state: S; streamVersion: number } }),
    }).catch((err: unknown) => {
      throw toRequestError(err, run.fieldRenames);
    });
    const last = result.events.at(-1);
    const version = last?.position ?? result.nextExpectedVersion;
    await this.#awaitReadModels(contextOf(target.aggregateType), version, call);
    return { version, events: result.events, state: result.state };
  }

  /**
   * Decides the command on the stream as it is now, without appending, so a
   * caller can refuse before a side effect (storing a module) what the run
   * would refuse, a stale expected version included. A command id already in
   * the stream previews as nothing: running it again answers its first outcome.
   */
  async preview<C extends Command, E extends DomainEvent, S>(
    target: CommandTarget<C, E, S>,
    aggregateId: string,
    call: CallContext,
    build: (metadata: Command['metadata']) => C,
    expectedVersion: number,
  ): Promise<E[]> {
    const stream = { aggregateType: target.aggregateType, aggregateId };
    try {
      const { events } = await this.#storeFor(stream, expectedVersion, call).readStream<E>(stream);
      const retryMarker = deterministicEventId(call.commandId, 0);
      if (events.some((e) => e.metadata.eventId === retryMarker)) return [];
      const state = events.reduce((s, e) => target.decider.evolve(s, domainEventOf(e)), initialStateOf(target.decider));
      return target.decider.decide(build({ now: call.now, actor: call.actor }), state);
    } catch (err) {
      throw toRequestError(err);
    }
  }

  /** The event store, guarded by the client's expected version when it sent one. */
  #storeFor(stream: StreamRef, expectedVersion: number, call: CallContext): EventStore {
    return expectedVersion === 0 ? this.options.store : new ExpectedVersionStore(this.options.store, stream, expectedVersion, call.commandId);
  }

  /** The command is done either way: a slow projection costs freshness, not the reply. */
  async #awaitReadModels(context: string, position: number, call: CallContext): Promise<void> {
    if (position === 0) return;
    try {
      await this.options.waitForReadModels(context, position);
    } catch (err) {
      this.options.logger.warn('read models lag behind a command; replying without read-your-writes', {
        context,
        position,
        commandId: call.commandId,
        error: err instanceof Error ? err.message : String(err),
      });
    }
  }
}
