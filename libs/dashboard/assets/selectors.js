// @ts-check
/** Pure views of the state: what each part of the page shows. */
import { enumName, shortHex } from './format.js';

/**
 * @typedef {import('./state.js').State} State
 * @typedef {import('./state.js').Device} Device
 * @typedef {import('./state.js').Gateway} Gateway
 * @typedef {import('./state.js').Application} Application
 * @typedef {{ phase: string, count: number }} PhaseCount
 */

/** Display order, most interesting first. */
export const DEVICE_PHASES = ['connected', 'enrolled', 'enrolling', 'pending', 'disconnected', 'unreachable', 'revoked', 'unspecified'];
export const GATEWAY_PHASES = ['online', 'registered', 'draining', 'offline', 'deregistered', 'unspecified'];
export const APPLICATION_PHASES = ['running', 'deploying', 'partially_running', 'creating', 'failed', 'stopping', 'stopped', 'deleting', 'unspecified'];
/** Rollout count fields, in the order the progress bar stacks them. */
export const ROLLOUT_SEGMENTS = /** @type {const} */ (['running', 'deploying', 'pending', 'failed', 'stopped']);

/** @param {Device} d */
export const devicePhase = (d) => enumName(d.phase, 'DEVICE_PHASE_');
/** @param {Gateway} g */
export const gatewayPhase = (g) => enumName(g.phase, 'GATEWAY_PHASE_');
/** @param {Application} a */
export const applicationPhase = (a) => enumName(a.phase, 'APPLICATION_PHASE_');

/**
 * @template T
 * @param {Iterable<T>} items
 * @param {(item: T) => string} phaseOf
 * @param {readonly string[]} order
 * @returns {PhaseCount[]} non-zero counts in `order`, unknown phases last
 */
export function countByPhase(items, phaseOf, order) {
  /** @type {Map<string, number>} */
  const counts = new Map();
  for (const item of items) {
    const phase = phaseOf(item);
    counts.set(phase, (counts.get(phase) ?? 0) + 1);
  }
  const rank = (/** @type {string} */ p) => (order.includes(p) ? order.indexOf(p) : order.length);
  return [...counts]
    .map(([phase, count]) => ({ phase, count }))
    .sort((a, b) => rank(a.phase) - rank(b.phase) || a.phase.localeCompare(b.phase));
}

/**
 * Whether pairing mode is on now: the api evaluates it when it answers, and no
 * event arrives when the window closes, so the page evaluates it again.
 * @param {Gateway} gateway
 * @param {number} nowMs
 * @returns {{ active: boolean, untilMs: number | undefined }}
 */
export function pairingOf(gateway, nowMs) {
  const until = gateway.pairing?.until ? Date.parse(gateway.pairing.until) : undefined;
  const active = gateway.pairing?.enabled === true && (until === undefined || until > nowMs);
  return { active, untilMs: active ? until : undefined };
}

/** @param {Gateway} g */
const isRegistered = (g) => gatewayPhase(g) !== 'deregistered';

/**
 * Pairing mode over every registered gateway.
 * @param {State} state
 * @param {number} nowMs
 * @returns {{ gateways: number, active: number, closesAtMs: number | undefined }}
 */
export function pairingSummary(state, nowMs) {
  let gateways = 0;
  let active = 0;
  /** @type {number | undefined} */
  let closesAtMs;
  for (const g of state.gateways.items.values()) {
    if (!isRegistered(g)) continue;
    gateways++;
    const p = pairingOf(g, nowMs);
    if (!p.active) continue;
    active++;
    if (p.untilMs !== undefined && (closesAtMs === undefined || p.untilMs > closesAtMs)) closesAtMs = p.untilMs;
  }
  return { gateways, active, closesAtMs };
}

/**
 * @param {State} state
 * @param {number} nowMs
 */
export function fleetSummary(state, nowMs) {
  const devices = [...state.devices.items.values()];
  const gateways = [...state.gateways.items.values()];
  return {
    devices: { total: devices.length, byPhase: countByPhase(devices, devicePhase, DEVICE_PHASES) },
    awaitingApproval: devices.filter((d) => devicePhase(d) === 'enrolling').length,
    gateways: {
      total: gateways.length,
      byPhase: countByPhase(gateways, gatewayPhase, GATEWAY_PHASES),
      sessions: gateways.reduce((sum, g) => sum + (g.connectedDevices ?? 0), 0),
    },
    applications: { total: state.applications.items.size, byPhase: countByPhase(state.applications.items.values(), applicationPhase, APPLICATION_PHASES) },
    pairing: pairingSummary(state, nowMs),
  };
}

/** @param {Map<string, { name: string }>} items */
function sortedByName(items) {
  return [...items.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** @param {State} state @returns {Device[]} */
export const sortedDevices = (state) => /** @type {Device[]} */ (sortedByName(state.devices.items));
/** @param {State} state @returns {Gateway[]} */
export const sortedGateways = (state) => /** @type {Gateway[]} */ (sortedByName(state.gateways.items));
/** @param {State} state @returns {Application[]} */
export const sortedApplications = (state) => /** @type {Application[]} */ (sortedByName(state.applications.items));

/** @param {State} state @returns {Device[]} devices waiting for an operator's approval */
export function awaitingApproval(state) {
  return sortedDevices(state).filter((d) => devicePhase(d) === 'enrolling');
}

/**
 * The module hash of `revision` of `application`, short.
 * @param {Application | undefined} application
 * @param {number | undefined} revision
 */
export function revisionHash(application, revision) {
  const rev = application?.revisions?.find((r) => r.revision === revision);
  return shortHex(rev?.spec?.module?.sha256);
}

/**
 * What runs on a device, with each revision's module hash.
 * @param {Device} device
 * @param {Map<string, Application>} applications
 */
export function appsOnDevice(device, applications) {
  return (device.applications ?? []).map((a) => ({
    name: a.application,
    revision: a.revision ?? 0,
    phase: enumName(a.phase, 'DEVICE_DEPLOYMENT_PHASE_'),
    hash: revisionHash(applications.get(a.application), a.revision),
    message: a.message ?? '',
  }));
}

/** Device objects are replaced on every change, so a text computed once per object stays right. */
const searchTexts = new WeakMap();

/** @param {Device} device */
function searchText(device) {
  let text = searchTexts.get(device);
  if (text === undefined) {
    const labels = Object.entries(device.labels ?? {}).map(([k, v]) => `${k}=${v}`);
    const apps = (device.applications ?? []).map((a) => a.application);
    text = [device.name, devicePhase(device), device.board, device.architecture, device.gateway, ...labels, ...apps].join(' ').toLowerCase();
    searchTexts.set(device, text);
  }
  return text;
}

/**
 * Devices matching every whitespace-separated term of `query` (name, phase,
 * board, gateway, labels `k=v`, app names) and, when given, exactly `phase`.
 * @param {Device[]} devices
 * @param {string} query
 * @param {string} [phase]
 */
export function filterDevices(devices, query, phase = '') {
  const terms = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (terms.length === 0 && phase === '') return devices;
  return devices.filter((d) => (phase === '' || devicePhase(d) === phase) && terms.every((t) => searchText(d).includes(t)));
}

/**
 * Every rollout of an application, newest revision first, ready to draw.
 * @param {Application} app
 */
export function rolloutsOf(app) {
  return (app.revisions ?? [])
    .filter((r) => r.rollout !== undefined)
    .sort((a, b) => b.revision - a.revision)
    .map((r) => {
      const rollout = /** @type {import('./state.js').RolloutStatus} */ (r.rollout);
      const phase = enumName(rollout.phase, 'ROLLOUT_PHASE_');
      const counts = ROLLOUT_SEGMENTS.map((key) => ({ key, count: rollout.counts?.[key] ?? 0 }));
      const total = counts.reduce((sum, c) => sum + c.count, 0);
      const waves = rollout.waves?.length ?? 0;
      const inFlight = phase === 'in_progress' || phase === 'paused';
      return {
        revision: r.revision,
        hash: shortHex(r.spec?.module?.sha256),
        phase,
        total,
        segments: counts.map((c) => ({ ...c, percent: total === 0 ? 0 : (100 * c.count) / total })),
        waves: inFlight && waves > 0 ? `wave ${(rollout.currentWave ?? 0) + 1} of ${waves}` : `${waves} wave${waves === 1 ? '' : 's'}`,
        failing: (rollout.failingDevices ?? []).map((f) => ({ device: f.device, reason: f.reason ?? '', failedAt: f.failedAt })),
        message: rollout.message ?? '',
        startedAt: rollout.startedAt,
        finishedAt: rollout.finishedAt,
        deployed: r.revision === app.deployedRevision,
      };
    });
}
