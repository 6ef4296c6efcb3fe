import { ValidationError } from '@wasmbed/errors';
import { InvalidStreamId, UnknownContextError } from './errors';
import { streamNameFor, subjectsOfAggregateType, validateStreamRef } from './subjects';
import type { BoundedContext, EventTypeRegistry, StreamRef } from './types';

/** One registry for every context, or one per context name. */
export type RegistryOption = EventTypeRegistry | Readonly<Record<string, EventTypeRegistry>>;

/** A context with everything the store needs to address its log. */
export interface ResolvedContext {
  readonly name: string;
  readonly streamName: string;
  readonly aggregateTypes: readonly string[];
  readonly subjects: readonly string[];
  readonly registry: EventTypeRegistry;
}

function isRegistry(value: RegistryOption): value is EventTypeRegistry {
  return typeof (value as EventTypeRegistry).currentSchemaVersion === 'function' &&
    typeof (value as EventTypeRegistry).upcast === 'function';
}

function registryFor(option: RegistryOption, context: string): EventTypeRegistry | undefined {
  if (isRegistry(option)) return option;
  return Object.prototype.hasOwnProperty.call(option, context) ? option[context] : undefined;
}

/** Resolves context names and aggregate types to JetStream streams; validates the topology once. */
export class ContextCatalog {
  private readonly byName = new Map<string, ResolvedContext>();
  private readonly byAggregateType = new Map<string, ResolvedContext>();

  constructor(contexts: readonly BoundedContext[], registry: RegistryOption, streamNamePrefix: string) {
    const issues: string[] = [];
    if (contexts.length === 0) issues.push('at least one bounded context is required');
    for (const ctx of contexts) {
      const resolved = this.resolve(ctx, registry, streamNamePrefix, issues);
      if (resolved !== undefined) this.add(resolved, issues);
    }
    if (issues.length > 0) throw new ValidationError('invalid event store topology', issues);
  }

  private resolve(ctx: BoundedContext, option: RegistryOption, prefix: string, issues: string[]): ResolvedContext | undefined {
    const registry = registryFor(option, ctx.name);
    if (registry === undefined) issues.push(`context ${ctx.name}: no event type registry`);
    if (ctx.aggregateTypes.length === 0) issues.push(`context ${ctx.name}: no aggregate types`);
    let streamName: string;
    let subjects: string[];
    try {
      streamName = streamNameFor(prefix, ctx.name);
      subjects = ctx.aggregateTypes.map(subjectsOfAggregateType);
    } catch (err) {
      if (!(err instanceof InvalidStreamId)) throw err;
      issues.push(`context ${ctx.name}: ${err.message}`);
      return undefined;
    }
    if (registry === undefined) return undefined;
    return { name: ctx.name, streamName, aggregateTypes: [...ctx.aggregateTypes], subjects, registry };
  }

  private add(ctx: ResolvedContext, issues: string[]): void {
    if (this.byName.has(ctx.name)) issues.push(`context ${ctx.name} is declared twice`);
    this.byName.set(ctx.name, ctx);
    for (const type of ctx.aggregateTypes) {
      const owner = this.byAggregateType.get(type);
      if (owner !== undefined) issues.push(`aggregate type ${type} belongs to both ${owner.name} and ${ctx.name}`);
      this.byAggregateType.set(type, ctx);
    }
  }

  all(): ResolvedContext[] {
    return [...this.byName.values()];
  }

  context(name: string): ResolvedContext {
    const ctx = this.byName.get(name);
    if (ctx === undefined) throw new UnknownContextError(name);
    return ctx;
  }

  /** The context that owns a stream; validates the stream id. */
  contextOf(stream: StreamRef): ResolvedContext {
    validateStreamRef(stream);
    const ctx = this.byAggregateType.get(stream.aggregateType);
    if (ctx === undefined) {
      throw new InvalidStreamId('aggregateType', stream.aggregateType, 'belongs to no configured bounded context');
    }
    return ctx;
  }
}

