import { commitIdFor } from './commit-id';
import { deterministicEventId } from './deterministic-event-id';

describe('commitIdFor', () => {
  it('is deterministic and depends on subject, ids and their order', () => {
    const id = commitIdFor('wasmbed.evt.device.a', ['e1', 'e2']);
    expect(id).toMatch(/^[0-9a-f]{64}$/);
    expect(commitIdFor('wasmbed.evt.device.a', ['e1', 'e2'])).toBe(id);
    expect(commitIdFor('wasmbed.evt.device.a', ['e2', 'e1'])).not.toBe(id);
    expect(commitIdFor('wasmbed.evt.device.b', ['e1', 'e2'])).not.toBe(id);
    expect(commitIdFor('wasmbed.evt.device.a', ['e1'])).not.toBe(id);
  });

  it('uses subject and id directly for a single-event commit, unambiguously', () => {
    expect(commitIdFor('wasmbed.evt.device.a', ['e1'])).toBe('wasmbed.evt.device.a e1');
    expect(commitIdFor('wasmbed.evt.device.a|b', ['c'])).not.toBe(commitIdFor('wasmbed.evt.device.a', ['b|c']));
    expect(commitIdFor('wasmbed.evt.device.a', ['b c'])).not.toBe(commitIdFor('wasmbed.evt.device.a', ['b', 'c']));
  });

  it('cannot be confused by separators inside ids', () => {
    expect(commitIdFor('s', ['a,b'])).not.toBe(commitIdFor('s', ['a', 'b']));
    expect(commitIdFor('s', ['a"', 'b'])).not.toBe(commitIdFor('s', ['a', '"b']));
  });
});

describe('deterministicEventId', () => {
  it('is a stable version-5 UUID per (command, index)', () => {
    const id = deterministicEventId('cmd-1', 0);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(deterministicEventId('cmd-1', 0)).toBe(id);
    expect(deterministicEventId('cmd-1', 1)).not.toBe(id);
    expect(deterministicEventId('cmd-2', 0)).not.toBe(id);
    expect(deterministicEventId('cmd-1/1', 0)).not.toBe(deterministicEventId('cmd-1', 10));
  });

  it('never changes: stored ids must still match a retried command', () => {
    expect(deterministicEventId('cmd-1', 0)).toBe('fa3137cb-e5d2-5ee6-b5fc-ce55c0ca777d');
  });
});
