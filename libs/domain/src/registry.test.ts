import { AGGREGATE_TYPES, BOUNDED_CONTEXTS, contextOf, type AggregateType } from './aggregates';
import { EVENT_TYPES, eventTypesOf } from './event-types';
import { history as applicationHistory, create, deploy, failed, rollback, running, specInput, stop, stopped, update, advance, remove, pause, resume, started } from './test-support/application';
import { SHA_1, SHA_2, at } from './test-support/fixtures';

describe('aggregates and bounded contexts', () => {
  it('puts every aggregate type in exactly one context', () => {
    const listed = BOUNDED_CONTEXTS.flatMap((c) => [...c.aggregateTypes]).sort();
    expect(listed).toEqual(Object.values(AGGREGATE_TYPES).sort());
  });

  it.each([
    ['device', 'fleet'],
    ['gateway', 'fleet'],
    ['application', 'apps'],
  ] as [AggregateType, string][])('%s belongs to %s', (aggregateType, context) => {
    expect(contextOf(aggregateType)).toBe(context);
    expect(BOUNDED_CONTEXTS.find((c) => c.name === context)?.aggregateTypes).toContain(aggregateType);
  });
});

describe('EVENT_TYPES', () => {
  it('lists event types once across all aggregates, each at schema version 1 for now', () => {
    const all = Object.values(EVENT_TYPES).flatMap((types) => Object.entries(types));
    expect(new Set(all.map(([type]) => type)).size).toBe(all.length);
    expect(all.every(([, version]) => version === 1)).toBe(true);
  });

  it('merges the event types of a context', () => {
    const fleet = eventTypesOf(['device', 'gateway']);
    expect(Object.keys(fleet)).toEqual([...Object.keys(EVENT_TYPES.device), ...Object.keys(EVENT_TYPES.gateway)]);
    expect(fleet.PairingModeEnabled).toBe(1);
    expect(fleet.RolloutStarted).toBeUndefined();
  });

  it('knows every event type the application decider emits', () => {
    const events = [
      ...applicationHistory(
        create(),
        deploy(['d1', 'd2']),
        pause(at(1)),
        resume(at(2)),
        started('d1', 1, at(3)),
        running('d1', 1, SHA_1, at(3)),
        advance(1, 0, at(63)),
        running('d2', 1, SHA_1, at(64)),
        advance(1, 1, at(124)),
        update(specInput({}, SHA_2), at(200)),
        deploy(['d1', 'd2'], at(200)),
        failed('d1', 2, at(201)),
        rollback(true, at(202)),
        stop(at(300)),
        stopped('d1', at(301)),
        stopped('d2', at(302)),
      ),
      ...applicationHistory(create(), remove(at(1))),
    ];
    const emitted = new Set(events.map((e) => e.type));
    expect([...emitted].sort()).toEqual(Object.keys(EVENT_TYPES.application).sort());
  });
});
