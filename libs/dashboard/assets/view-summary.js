// @ts-check
/** The fleet summary tiles: devices by phase, approvals waiting, gateways, applications. */
import { h } from './dom.js';
import { count, humanize, plural } from './format.js';
import { fleetSummary } from './selectors.js';

/**
 * @typedef {import('./selectors.js').PhaseCount} PhaseCount
 * @typedef {{ onDevicePhase(phase: string): void }} SummaryActions
 */

/**
 * A bar split by phase, each part as wide as its share.
 * @param {PhaseCount[]} byPhase
 * @param {number} total
 */
function phaseBar(byPhase, total) {
  const bar = h('div', { class: 'phase-bar', role: 'img', attrs: { 'aria-label': byPhase.map((p) => `${p.count} ${humanize(p.phase)}`).join(', ') || 'none' } });
  for (const p of byPhase) {
    const part = h('span', { class: `phase-fill-${p.phase}` });
    part.style.width = `${(100 * p.count) / total}%`;
    bar.append(part);
  }
  return bar;
}

/**
 * @param {PhaseCount[]} byPhase
 * @param {((phase: string) => void) | undefined} onPick
 */
function legend(byPhase, onPick) {
  return h(
    'ul',
    { class: 'legend' },
    byPhase.map((p) =>
      h(
        'li',
        {},
        onPick
          ? h('button', { class: 'legend-item', type: 'button', title: `Show ${humanize(p.phase)} devices`, on: { click: () => onPick(p.phase) } }, swatch(p.phase), `${count(p.count)} ${humanize(p.phase)}`)
          : h('span', { class: 'legend-item' }, swatch(p.phase), `${count(p.count)} ${humanize(p.phase)}`),
      ),
    ),
  );
}

/** @param {string} phase */
const swatch = (phase) => h('span', { class: `swatch phase-fill-${phase}` });

/**
 * @param {string} title
 * @param {string} value
 * @param {string} note
 * @param {...(Node | false)} extra
 */
function tile(title, value, note, ...extra) {
  return h('article', { class: 'tile' }, h('h2', { class: 'tile-title' }, title), h('p', { class: 'tile-value' }, value), h('p', { class: 'tile-note' }, note), ...extra);
}

/**
 * @param {HTMLElement} container
 * @param {import('./state.js').State} state
 * @param {number} nowMs
 * @param {SummaryActions} actions
 */
export function renderSummary(container, state, nowMs, actions) {
  const s = fleetSummary(state, nowMs);
  const online = s.gateways.byPhase.find((p) => p.phase === 'online')?.count ?? 0;
  const waiting = tile('Awaiting approval', count(s.awaitingApproval), s.awaitingApproval === 0 ? 'no device is waiting' : `${plural(s.awaitingApproval, 'device')} asked to join`);
  waiting.classList.toggle('tile-attention', s.awaitingApproval > 0);
  container.replaceChildren(
    tile('Devices', count(s.devices.total), `${count(s.devices.byPhase.find((p) => p.phase === 'connected')?.count ?? 0)} connected`, s.devices.total > 0 && phaseBar(s.devices.byPhase, s.devices.total), legend(s.devices.byPhase, actions.onDevicePhase)),
    waiting,
    tile(
      'Gateways',
      `${count(online)} / ${count(s.gateways.total)}`,
      `online · ${plural(s.gateways.sessions, 'device session')}`,
      h('p', { class: `tile-pill ${s.pairing.active > 0 ? 'pill-on' : 'pill-off'}` }, s.pairing.active > 0 ? `pairing on (${s.pairing.active} of ${s.pairing.gateways})` : 'pairing off'),
    ),
    tile('Applications', count(s.applications.total), s.applications.total === 0 ? 'none created yet' : 'by phase', legend(s.applications.byPhase, undefined)),
  );
}
