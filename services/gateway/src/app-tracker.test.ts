import type { AppSummary } from '@wasmbed/protocol';
import { AppTracker } from './app-tracker';

const summary = (appId: string, state: AppSummary['state'], restarts = 0, revision = 1): AppSummary => ({
  appId,
  revision,
  sha256: new Uint8Array(32).fill(revision),
  state,
  restarts,
});

describe('app tracker', () => {
  it('reports only new or changed apps from repeated lists', () => {
    const tracker = new AppTracker();
    expect(tracker.replaceAll([summary('a', 'running'), summary('b', 'starting')]).map((a) => a.appId)).toEqual(['a', 'b']);
    expect(tracker.replaceAll([summary('a', 'running'), summary('b', 'starting')])).toEqual([]);
    expect(tracker.replaceAll([summary('a', 'running', 1), summary('b', 'starting')])).toEqual([expect.objectContaining({ appId: 'a', restarts: 1 })]);
    expect(tracker.replaceAll([summary('b', 'running')])).toEqual([expect.objectContaining({ appId: 'b', state: 'running' })]);
    expect(tracker.list().map((a) => a.appId)).toEqual(['b']);
  });

  it('applies AppStatus for a known module and ignores repeats', () => {
    const tracker = new AppTracker();
    tracker.replaceAll([summary('a', 'running')]);
    expect(tracker.applyStatus({ appId: 'a', revision: 1, state: 'failed', restarts: 1, error: { code: 'trap', message: 'oops' } })).toBe(true);
    expect(tracker.applyStatus({ appId: 'a', revision: 1, state: 'failed', restarts: 1, error: { code: 'trap', message: 'oops' } })).toBe(false);
    expect(tracker.list()[0]).toMatchObject({ state: 'failed', error: { code: 'trap' }, sha256: '01'.repeat(32) });
  });

  it('learns the module of a new revision from the deploy', () => {
    const tracker = new AppTracker();
    expect(tracker.applyStatus({ appId: 'n', revision: 2, state: 'starting', restarts: 0 })).toBe(false);
    tracker.rememberModule('n', 2, 'ee'.repeat(32));
    expect(tracker.applyStatus({ appId: 'n', revision: 2, state: 'starting', restarts: 0 })).toBe(true);
    tracker.deployed('n', 2, new Uint8Array(32).fill(0xee));
    tracker.stopped('n');
    expect(tracker.list()).toEqual([{ appId: 'n', revision: 2, sha256: 'ee'.repeat(32), state: 'stopped', restarts: 0 }]);
  });

  it('moves its version on every change of the list, removals included, and not on repeats', () => {
    const tracker = new AppTracker();
    const v0 = tracker.version;
    tracker.replaceAll([]);
    expect(tracker.version).toBe(v0);
    tracker.replaceAll([summary('a', 'running'), summary('b', 'running')]);
    const v1 = tracker.version;
    expect(v1).toBeGreaterThan(v0);
    tracker.replaceAll([summary('b', 'running'), summary('a', 'running')]);
    expect(tracker.version).toBe(v1);
    tracker.replaceAll([summary('a', 'running')]);
    expect(tracker.version).toBeGreaterThan(v1);
  });
});
