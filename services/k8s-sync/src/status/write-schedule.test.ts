import fc from 'fast-check';
import { WriteSchedule } from './write-schedule';

const INTERVAL = 5_000;
const s = (n: number) => ({ phase: 'Running', n });

/** Takes every due write at `now` and completes it successfully; returns what was written. */
function writeDue(schedule: WriteSchedule, now: number): object[] {
  const jobs = schedule.take(now, 100);
  for (const job of jobs) schedule.succeeded(job.entry, now);
  return jobs.map((j) => j.status);
}

describe('WriteSchedule', () => {
  it('writes an object’s first status at once, then at most once per interval with the latest value', () => {
    const schedule = new WriteSchedule(INTERVAL);
    expect(schedule.offer('Device', 'd', s(0), 1_000)).toBe('queued');
    expect(writeDue(schedule, 1_000)).toEqual([s(0)]);
    expect(schedule.offer('Device', 'd', s(1), 1_100)).toBe('queued');
    expect(schedule.offer('Device', 'd', s(2), 1_200)).toBe('coalesced');
    expect(schedule.nextDueAt()).toBe(6_000);
    expect(writeDue(schedule, 5_999)).toEqual([]);
    expect(writeDue(schedule, 6_000)).toEqual([s(2)]);
    expect(schedule.nextDueAt()).toBeUndefined();
  });

  it('writes nothing for a value equal to the one written, in any key order', () => {
    const schedule = new WriteSchedule(INTERVAL);
    schedule.offer('Application', 'a', { a: 1, b: { c: 2, d: 3 } }, 0);
    writeDue(schedule, 0);
    expect(schedule.offer('Application', 'a', { b: { d: 3, c: 2 }, a: 1 }, 10_000)).toBe('unchanged');
    expect(schedule.nextDueAt()).toBeUndefined();
  });

  it('drops a queued value that goes back to what is written', () => {
    const schedule = new WriteSchedule(INTERVAL);
    schedule.offer('Device', 'd', s(0), 0);
    writeDue(schedule, 0);
    schedule.offer('Device', 'd', s(1), 100);
    expect(schedule.offer('Device', 'd', s(0), 200)).toBe('coalesced');
    expect(schedule.pending).toBe(0);
    expect(writeDue(schedule, 10_000)).toEqual([]);
  });

  it('queues a change made while a write is in flight for after the interval', () => {
    const schedule = new WriteSchedule(INTERVAL);
    schedule.offer('Device', 'd', s(0), 0);
    const [job] = schedule.take(0, 10);
    expect(schedule.inFlight).toBe(1);
    expect(schedule.offer('Device', 'd', s(0), 50)).toBe('unchanged');
    expect(schedule.offer('Device', 'd', s(1), 60)).toBe('queued');
    expect(schedule.take(60, 10)).toEqual([]);
    schedule.succeeded(job.entry, 80);
    expect(schedule.inFlight).toBe(0);
    expect(schedule.nextDueAt()).toBe(INTERVAL);
  });

  it('retries a failed write after a growing back-off, never sooner than the interval, with the newest value', () => {
    const schedule = new WriteSchedule(500);
    schedule.offer('Gateway', 'g', s(0), 0);
    let [job] = schedule.take(0, 1);
    schedule.failed(job.entry, 100);
    expect(schedule.nextDueAt()).toBe(1_100); // 1 s back-off from the failure
    [job] = schedule.take(1_100, 1);
    expect(job.status).toEqual(s(0));
    schedule.failed(job.entry, 1_200);
    expect(schedule.nextDueAt()).toBe(3_200); // 2 s
    schedule.offer('Gateway', 'g', s(1), 1_300);
    [job] = schedule.take(3_200, 1);
    expect(job.status).toEqual(s(1));
    schedule.succeeded(job.entry, 3_300);
    expect(job.entry.failures).toBe(0);
    schedule.offer('Gateway', 'g', s(2), 3_400);
    expect(schedule.nextDueAt()).toBe(3_700);
  });

  it('forgets a gone object, ignores its late completion, and writes it again at once when it comes back', () => {
    const schedule = new WriteSchedule(INTERVAL);
    schedule.offer('Device', 'd', s(0), 0);
    const [job] = schedule.take(0, 1);
    schedule.forget('Device', 'd');
    schedule.offer('Device', 'd', s(0), 10);
    const [again] = schedule.take(10, 1);
    expect(again.status).toEqual(s(0));
    schedule.succeeded(job.entry, 20);
    schedule.gone(again.entry);
    expect(schedule.inFlight).toBe(0);
    expect(schedule.offer('Device', 'd', s(0), 30)).toBe('queued');
    expect(schedule.nextDueAt()).toBe(30);
  });

  it('writes nothing for what the apiserver already holds, and carries its condition times', () => {
    const schedule = new WriteSchedule(INTERVAL);
    const held = { phase: 'Connected', conditions: [{ type: 'Ready', status: 'True', reason: 'Ready', message: '', lastTransitionTime: '2020-01-01T00:00:00Z' }] };
    schedule.observe('Device', 'd', held);
    const restamped = { ...held, conditions: [{ ...held.conditions[0], lastTransitionTime: '2024-01-01T00:00:00Z' }] };
    expect(schedule.offer('Device', 'd', restamped, 0)).toBe('unchanged');
    const reasonChanged = { ...held, conditions: [{ ...restamped.conditions[0], reason: 'Other' }] };
    expect(schedule.offer('Device', 'd', reasonChanged, 0)).toBe('queued');
    expect(schedule.take(0, 1)[0].status).toEqual({ ...held, conditions: [{ ...held.conditions[0], reason: 'Other' }] });
  });

  it('makes everything due at once on expedite (flush)', () => {
    const schedule = new WriteSchedule(INTERVAL);
    for (const name of ['a', 'b']) {
      schedule.offer('Device', name, s(0), 0);
    }
    writeDue(schedule, 0);
    schedule.offer('Device', 'b', s(1), 10);
    schedule.offer('Device', 'a', s(1), 20);
    expect(schedule.hasDue(30)).toBe(false);
    schedule.expedite(30);
    expect(schedule.hasDue(30)).toBe(true);
    expect(schedule.take(30, 10).map((j) => j.entry.name).sort()).toEqual(['a', 'b']);
    expect(schedule.hasDue(30)).toBe(false);
  });

  it('keeps the bounded number of writes per object for any sequence of sets (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 1_500 })), { maxLength: 200 }), (steps) => {
        const schedule = new WriteSchedule(1_000);
        const writes = new Map<string, number[]>();
        const latest = new Map<string, string>();
        let now = 0;
        const drain = () => {
          for (const job of schedule.take(now, 3)) {
            writes.set(job.entry.name, [...(writes.get(job.entry.name) ?? []), now]);
            schedule.succeeded(job.entry, now);
          }
        };
        for (const [obj, value, advance] of steps) {
          const name = `o${obj}`;
          schedule.offer('Device', name, { value }, now);
          latest.set(name, JSON.stringify({ value }));
          drain();
          now += advance;
          drain();
        }
        for (let at = schedule.nextDueAt(); at !== undefined; at = schedule.nextDueAt()) {
          now = Math.max(now, at);
          drain();
        }
        for (const times of writes.values()) for (let i = 1; i < times.length; i += 1) expect(times[i] - times[i - 1]).toBeGreaterThanOrEqual(1_000);
        // Settled: offering the latest value again writes nothing.
        for (const [name, json] of latest) expect(schedule.offer('Device', name, JSON.parse(json) as object, now)).toBe('unchanged');
      }),
    );
  });
});
