import { loadBrowserModule } from './test-support/browser-module';

const { createState, reduce } = loadBrowserModule<typeof import('../assets/state.js')>('state.js');

type State = ReturnType<typeof createState>;

const device = (name: string, position: number, extra: Record<string, unknown> = {}, kind = 'CHANGE_KIND_ADDED') =>
  ({ type: 'change', event: 'device', data: { kind, device: { name, ...extra }, position } }) as const;
const gateway = (name: string, position: number, kind = 'CHANGE_KIND_ADDED') => ({ type: 'change', event: 'gateway', data: { kind, gateway: { name }, position } }) as const;
const application = (name: string, position: number, kind = 'CHANGE_KIND_ADDED') =>
  ({ type: 'change', event: 'application', data: { kind, application: { name }, position } }) as const;

const names = (state: State) => ({
  devices: [...state.devices.items.keys()].sort(),
  gateways: [...state.gateways.items.keys()].sort(),
  applications: [...state.applications.items.keys()].sort(),
});

describe('state reducer (assets/state.js)', () => {
  it('adds, replaces and deletes resources by name, telling which collection changed', () => {
    const state = createState();
    expect(reduce(state, device('dev-1', 3, { phase: 'DEVICE_PHASE_PENDING' }))).toEqual(['devices']);
    expect(reduce(state, gateway('gw-1', 4))).toEqual(['gateways']);
    expect(reduce(state, application('hello', 1))).toEqual(['applications']);
    expect(reduce(state, device('dev-1', 5, { phase: 'DEVICE_PHASE_CONNECTED' }, 'CHANGE_KIND_MODIFIED'))).toEqual(['devices']);
    expect(state.devices.items.get('dev-1')).toEqual({ name: 'dev-1', phase: 'DEVICE_PHASE_CONNECTED' });
    expect(reduce(state, device('dev-1', 6, {}, 'CHANGE_KIND_DELETED'))).toEqual(['devices']);
    expect(names(state)).toEqual({ devices: [], gateways: ['gw-1'], applications: ['hello'] });
    expect(state.devices.revision).toBe(3);
  });

  it('ignores a change older than the one shown, but applies one at the same position again', () => {
    const state = createState();
    reduce(state, device('dev-1', 10, { board: 'new' }));
    expect(reduce(state, device('dev-1', 9, { board: 'old' }, 'CHANGE_KIND_MODIFIED'))).toEqual([]);
    expect(reduce(state, device('dev-1', 9, {}, 'CHANGE_KIND_DELETED'))).toEqual([]);
    expect(state.devices.items.get('dev-1')?.board).toBe('new');
    expect(reduce(state, device('dev-1', 10, { board: 'same' }))).toEqual(['devices']);
    // uint64 positions may come as strings in the JSON mapping
    expect(reduce(state, { type: 'change', event: 'device', data: { kind: 'CHANGE_KIND_MODIFIED', device: { name: 'dev-1', board: 'str' }, position: '11' } })).toEqual([
      'devices',
    ]);
    expect(state.devices.positions.get('dev-1')).toBe(11);
  });

  it('ignores what is not a change of a known resource', () => {
    const state = createState();
    for (const bad of [
      { type: 'change', event: 'log', data: { line: 'x' } },
      { type: 'change', event: 'device', data: null },
      { type: 'change', event: 'device', data: { kind: 'CHANGE_KIND_ADDED' } },
      { type: 'change', event: 'device', data: { kind: 'CHANGE_KIND_ADDED', device: { name: '' } } },
      { type: 'change', event: 'toString', data: { kind: 'CHANGE_KIND_ADDED', toString: { name: 'x' } } },
      { type: 'change', event: 'device', data: { kind: 'CHANGE_KIND_DELETED', device: { name: 'never-seen' }, position: 1 } },
    ] as const) {
      expect(reduce(state, bad)).toEqual([]);
    }
    expect(names(state)).toEqual({ devices: [], gateways: [], applications: [] });
  });

  it('after a reconnect, drops what the new stream did not re-send once its snapshot is complete', () => {
    const state = createState();
    for (const a of [device('kept', 1), device('gone', 2), device('changed', 3), gateway('gw-gone', 4), application('app-kept', 1)]) reduce(state, a);
    expect(reduce(state, { type: 'resync' })).toEqual([]);
    // The snapshot of the new stream, in any order, with what changed meanwhile.
    reduce(state, device('changed', 7, { phase: 'DEVICE_PHASE_CONNECTED' }));
    reduce(state, application('app-kept', 1));
    reduce(state, device('kept', 1));
    reduce(state, device('new', 8));
    // Nothing is removed before the snapshot is complete: the page does not blink.
    expect(names(state).devices).toEqual(['changed', 'gone', 'kept', 'new']);
    expect(reduce(state, { type: 'settled' }).sort()).toEqual(['devices', 'gateways']);
    expect(names(state)).toEqual({ devices: ['changed', 'kept', 'new'], gateways: [], applications: ['app-kept'] });
    expect(state.unconfirmed).toBeNull();
    expect(reduce(state, { type: 'settled' })).toEqual([]);
  });

  it('forgets everything on reset', () => {
    const state = createState();
    reduce(state, device('dev-1', 1));
    reduce(state, { type: 'resync' });
    expect(reduce(state, { type: 'reset' })).toEqual(['devices']);
    expect(names(state)).toEqual({ devices: [], gateways: [], applications: [] });
    expect(state.unconfirmed).toBeNull();
    expect(reduce(state, device('dev-1', 1))).toEqual(['devices']);
  });

  it('takes in a snapshot of a thousand devices quickly', () => {
    const state = createState();
    const started = performance.now();
    for (let i = 0; i < 1000; i++) reduce(state, device(`dev-${String(i).padStart(4, '0')}`, i + 1, { phase: 'DEVICE_PHASE_CONNECTED', labels: { env: 'prod' } }));
    expect(state.devices.items.size).toBe(1000);
    expect(performance.now() - started).toBeLessThan(200);
  });
});
