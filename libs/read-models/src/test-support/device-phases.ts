import { randomUUID } from 'node:crypto';
import {
  createEventTypeRegistry,
  type DomainEvent,
  type EventStore,
  type NewEvent,
  type RecordedEvent,
} from '@wasmbed/event-log';
import { defineProjection, domainEventOf, type Projection } from '../projection';

/** Made-up fleet events for the example projection. */
export type PhaseEvent =
  | DomainEvent<'DeviceEnrolled', { phase: string }>
  | DomainEvent<'DevicePhaseChanged', { from: string; to: string }>
  | DomainEvent<'DeviceNoteAdded', { note: string }>;

export const phaseRegistry = createEventTypeRegistry({
  DeviceEnrolled: { version: 1 },
  DevicePhaseChanged: { version: 1 },
  DeviceNoteAdded: { version: 1 },
});

export interface PhaseCounts {
  readonly counts: Record<string, number>;
}

export interface DevicePhasesProbe {
  /** Every event handed to handle(), in order. */
  readonly handled: RecordedEvent<PhaseEvent>[];
  /** Throws from handle() for matching events while set. */
  failWhen?: (event: RecordedEvent<PhaseEvent>) => boolean;
}

/**
 * Example projection: each device's phase, and how many devices are in each phase.
 * DeviceNoteAdded is registered but deliberately not projected.
 */
export function devicePhasesProjection(name: string, contexts: string[], probe: DevicePhasesProbe): Projection<PhaseEvent> {
  return defineProjection<PhaseEvent>({
    name,
    contexts,
    eventTypes: ['DeviceEnrolled', 'DevicePhaseChanged'],
    async handle(event, docs) {
      probe.handled.push(event);
      if (probe.failWhen?.(event)) throw new Error(`handler cannot project ${event.type} at ${event.position}`);
      const e = domainEventOf(event);
      if (e.type === 'DeviceNoteAdded') return; // filtered out by eventTypes; never reached
      const from = e.type === 'DevicePhaseChanged' ? e.data.from : undefined;
      const to = e.type === 'DeviceEnrolled' ? e.data.phase : e.data.to;
      const summary = (await docs.get<PhaseCounts>('phase_counts', 'all')) ?? { counts: {} };
      const counts = { ...summary.counts };
      if (from !== undefined) counts[from] = (counts[from] ?? 0) - 1;
      counts[to] = (counts[to] ?? 0) + 1;
      await docs.put<PhaseCounts>('phase_counts', 'all', { counts });
      await docs.put('devices', event.stream.aggregateId, { phase: to });
    },
  });
}

export function newEvent<E extends DomainEvent>(event: E): NewEvent<E> {
  return {
    event,
    metadata: {
      eventId: randomUUID(),
      correlationId: randomUUID(),
      actor: 'read-models-test',
      timestamp: new Date().toISOString(),
    },
  };
}

/** Appends one commit holding `events` to a device stream; returns its position. */
export async function appendCommit(
  store: EventStore,
  aggregateType: string,
  deviceId: string,
  events: DomainEvent[],
): Promise<number> {
  const result = await store.append({ aggregateType, aggregateId: deviceId }, events.map(newEvent), { expectedVersion: 'any' });
  return result.position;
}
