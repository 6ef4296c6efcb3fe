// @ts-check
/**
 * The dashboard's copy of the read models, kept up to date from the change
 * events of /api/v1/events. Pure: no DOM, no I/O.
 *
 * The collections are mutated in place (copying a Map of a thousand devices
 * per event would cost more than rendering it); each carries a revision,
 * bumped on every change, so views can tell what they must redraw.
 */

/**
 * Resources as the proto JSON mapping sends them (default values left out).
 * @typedef {{ application: string, revision?: number, phase?: string, message?: string, updatedAt?: string }} DeviceApplication
 * @typedef {{ firmware?: string, board?: string, ramBytes?: number }} DeviceCapabilities
 * @typedef {{ name: string, phase?: string, board?: string, architecture?: string, labels?: Record<string, string>,
 *   preferredGateway?: string, gateway?: string, sessionId?: string, capabilities?: DeviceCapabilities, revocationReason?: string,
 *   applications?: DeviceApplication[], registeredAt?: string, enrolledAt?: string, lastSeenAt?: string }} Device
 * @typedef {{ name: string, phase?: string, endpoint?: string, region?: string, capacity?: number, instanceId?: string,
 *   connectedDevices?: number, pairing?: { enabled?: boolean, until?: string }, registeredAt?: string, lastSeenAt?: string }} Gateway
 * @typedef {{ pending?: number, deploying?: number, running?: number, failed?: number, stopped?: number }} DeploymentCounts
 * @typedef {{ device: string, reason?: string, failedAt?: string }} DeviceFailure
 * @typedef {{ phase?: string, currentWave?: number, waves?: { index?: number, devices?: string[] }[], counts?: DeploymentCounts,
 *   failingDevices?: DeviceFailure[], message?: string, startedAt?: string, finishedAt?: string }} RolloutStatus
 * @typedef {{ revision: number, spec?: { module?: { sha256?: string, sizeBytes?: number } }, createdAt?: string, rollout?: RolloutStatus }} ApplicationRevision
 * @typedef {{ name: string, phase?: string, latestRevision?: number, deployedRevision?: number, revisions?: ApplicationRevision[],
 *   createdAt?: string, updatedAt?: string }} Application
 */

/**
 * @template T
 * @typedef {object} Collection
 * @property {Map<string, T>} items by name
 * @property {Map<string, number>} positions the log position each item was last changed at
 * @property {number} revision bumped on every change
 */

/**
 * @typedef {object} State
 * @property {Collection<Device>} devices
 * @property {Collection<Gateway>} gateways
 * @property {Collection<Application>} applications
 * @property {null | { devices: Set<string>, gateways: Set<string>, applications: Set<string> }} unconfirmed
 *   after a reconnect: the names the new stream has not re-sent yet
 */

/**
 * @typedef {'devices' | 'gateways' | 'applications'} CollectionName
 * @typedef {{ type: 'change', event: string, data: unknown }
 *   | { type: 'resync' } | { type: 'settled' } | { type: 'reset' }} Action
 *   `change`: one SSE event (`event` = device | gateway | application, `data` = its parsed JSON);
 *   `resync`: a new stream opened, it re-sends every resource as ADDED;
 *   `settled`: that snapshot is complete, so what it did not re-send is gone;
 *   `reset`: forget everything (sign out).
 */

/** SSE event name → collection and the field of the change holding the resource. */
const EVENTS = /** @type {const} */ ({
  device: { collection: 'devices', field: 'device' },
  gateway: { collection: 'gateways', field: 'gateway' },
  application: { collection: 'applications', field: 'application' },
});

/** @template T @returns {Collection<T>} */
function emptyCollection() {
  return { items: new Map(), positions: new Map(), revision: 0 };
}

/** @returns {State} */
export function createState() {
  return { devices: emptyCollection(), gateways: emptyCollection(), applications: emptyCollection(), unconfirmed: null };
}

/**
 * Applies `action` to `state` (in place).
 * @param {State} state
 * @param {Action} action
 * @returns {CollectionName[]} the collections that changed
 */
export function reduce(state, action) {
  switch (action.type) {
    case 'change':
      return applyChange(state, action.event, action.data);
    case 'resync':
      state.unconfirmed = {
        devices: new Set(state.devices.items.keys()),
        gateways: new Set(state.gateways.items.keys()),
        applications: new Set(state.applications.items.keys()),
      };
      return [];
    case 'settled':
      return dropUnconfirmed(state);
    case 'reset': {
      /** @type {CollectionName[]} */
      const changed = [];
      for (const name of /** @type {const} */ (['devices', 'gateways', 'applications'])) {
        if (state[name].items.size === 0) continue;
        state[name].items.clear();
        state[name].positions.clear();
        state[name].revision++;
        changed.push(name);
      }
      state.unconfirmed = null;
      return changed;
    }
    default:
      return [];
  }
}

/**
 * @param {State} state
 * @param {string} event
 * @param {unknown} data
 * @returns {CollectionName[]}
 */
function applyChange(state, event, data) {
  const spec = Object.hasOwn(EVENTS, event) ? EVENTS[/** @type {keyof typeof EVENTS} */ (event)] : undefined;
  if (spec === undefined || typeof data !== 'object' || data === null) return [];
  const change = /** @type {Record<string, unknown>} */ (data);
  const resource = change[spec.field];
  if (typeof resource !== 'object' || resource === null) return [];
  const name = /** @type {{ name?: unknown }} */ (resource).name;
  if (typeof name !== 'string' || name === '') return [];
  const collection = /** @type {Collection<unknown>} */ (state[spec.collection]);
  // uint64 positions may arrive as strings; an absent one is 0.
  const position = Number(change.position ?? 0);
  // A change older than what is shown (a late event of a replaced stream) changes nothing.
  if (position < (collection.positions.get(name) ?? 0)) return [];
  state.unconfirmed?.[spec.collection].delete(name);
  if (change.kind === 'CHANGE_KIND_DELETED') {
    if (!collection.items.delete(name)) return [];
    collection.positions.delete(name);
  } else {
    collection.items.set(name, resource);
    collection.positions.set(name, position);
  }
  collection.revision++;
  return [spec.collection];
}

/**
 * @param {State} state
 * @returns {CollectionName[]}
 */
function dropUnconfirmed(state) {
  const unconfirmed = state.unconfirmed;
  state.unconfirmed = null;
  if (unconfirmed === null) return [];
  /** @type {CollectionName[]} */
  const changed = [];
  for (const name of /** @type {const} */ (['devices', 'gateways', 'applications'])) {
    if (unconfirmed[name].size === 0) continue;
    for (const key of unconfirmed[name]) {
      state[name].items.delete(key);
      state[name].positions.delete(key);
    }
    state[name].revision++;
    changed.push(name);
  }
  return changed;
}
