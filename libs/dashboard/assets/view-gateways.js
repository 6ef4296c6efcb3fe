// @ts-check
/** Pairing mode (over all gateways) and the gateways table with per-gateway pairing switches. */
import { badge, empty, h, renderIfChanged } from './dom.js';
import { count, relativeTime, roughDuration } from './format.js';
import { gatewayPhase, pairingOf, pairingSummary, sortedGateways } from './selectors.js';

/** @typedef {import('./view-pending.js').WriteContext} WriteContext */

export const PAIRING_DURATIONS = [
  { seconds: 300, label: '5 min' },
  { seconds: 600, label: '10 min' },
  { seconds: 1800, label: '30 min' },
  { seconds: 3600, label: '1 hour' },
];
/** The window the operator picked last; kept across redraws. */
let durationSeconds = 600;

/**
 * @param {HTMLElement} container
 * @param {import('./state.js').State} state
 * @param {number} nowMs
 * @param {WriteContext} ctx
 */
export function renderPairing(container, state, nowMs, ctx) {
  const p = pairingSummary(state, nowMs);
  const closes = p.closesAtMs === undefined ? '' : `closes in ${roughDuration(p.closesAtMs - nowMs)}`;
  renderIfChanged(container, JSON.stringify([p.gateways, p.active, closes]), () => {
    if (p.gateways === 0) {
      container.replaceChildren(empty('No gateway is registered yet. Pairing mode is switched per gateway.'));
      return;
    }
    const select = h(
      'select',
      { class: 'input', attrs: { 'aria-label': 'Pairing window' } },
      PAIRING_DURATIONS.map((d) => {
        const option = h('option', {}, d.label);
        option.value = String(d.seconds);
        option.selected = d.seconds === durationSeconds;
        return option;
      }),
    );
    select.addEventListener('change', () => (durationSeconds = Number(select.value)));
    const open = h('button', { class: 'btn btn-primary', type: 'button', data: { action: 'pairing-on' } }, p.active > 0 ? 'Extend on all' : 'Open on all gateways');
    open.addEventListener('click', () => ctx.run(open, 'pairing mode on', () => ctx.api.setPairing(true, { durationSeconds })));
    const close = h('button', { class: 'btn btn-ghost', type: 'button', data: { action: 'pairing-off' }, disabled: p.active === 0 }, 'Close on all');
    close.addEventListener('click', () => ctx.run(close, 'pairing mode off', () => ctx.api.setPairing(false)));
    container.replaceChildren(
      h(
        'div',
        { class: 'pairing-status' },
        h('span', { class: `pairing-state ${p.active > 0 ? 'pill-on' : 'pill-off'}`, data: { pairing: p.active > 0 ? 'on' : 'off' } }, p.active > 0 ? 'ON' : 'OFF'),
        h('span', {}, p.active > 0 ? `on ${count(p.active)} of ${count(p.gateways)} gateways${closes ? ` · ${closes}` : ''}` : `off on all ${count(p.gateways)} gateways`),
      ),
      h('p', { class: 'muted small' }, 'While on, devices with unknown keys may connect and wait here for approval.'),
      h('div', { class: 'actions' }, select, open, close),
    );
  });
}

/**
 * @param {HTMLElement} container
 * @param {import('./state.js').State} state
 * @param {number} nowMs
 * @param {WriteContext} ctx
 */
export function renderGateways(container, state, nowMs, ctx) {
  const rows = sortedGateways(state).map((g) => {
    const pairing = pairingOf(g, nowMs);
    return {
      name: g.name,
      phase: gatewayPhase(g),
      region: g.region ?? '',
      endpoint: g.endpoint ?? '',
      sessions: g.connectedDevices ?? 0,
      capacity: g.capacity ?? 0,
      lastSeen: relativeTime(g.lastSeenAt, nowMs),
      pairing: pairing.active,
      closes: pairing.untilMs === undefined ? '' : roughDuration(pairing.untilMs - nowMs),
    };
  });
  renderIfChanged(container, JSON.stringify(rows), () => {
    if (rows.length === 0) {
      container.replaceChildren(empty('No gateway is registered yet (gRPC GatewayService.RegisterGateway, admin).'));
      return;
    }
    const head = h('tr', {}, ['Gateway', 'Phase', 'Region', 'Endpoint', 'Sessions', 'Last seen', 'Pairing'].map((t) => h('th', { attrs: { scope: 'col' } }, t)));
    const body = rows.map((r) => {
      const meter = h('span', { class: 'meter' }, h('span', { class: 'meter-fill' }));
      /** @type {HTMLElement} */ (meter.firstChild).style.width = `${r.capacity > 0 ? Math.min(100, (100 * r.sessions) / r.capacity) : 0}%`;
      const toggle = h('button', { class: `btn btn-small ${r.pairing ? 'btn-ghost' : 'btn-primary'}`, type: 'button', data: { action: 'gateway-pairing', gateway: r.name } }, r.pairing ? 'Turn off' : 'Turn on');
      toggle.addEventListener('click', () =>
        ctx.run(toggle, `pairing mode ${r.pairing ? 'off' : 'on'} on ${r.name}`, () => ctx.api.setPairing(!r.pairing, { gateway: r.name, durationSeconds })),
      );
      const usable = r.phase !== 'deregistered' && !(r.phase === 'draining' && !r.pairing);
      return h(
        'tr',
        { class: r.phase === 'deregistered' ? 'dim' : '', data: { gateway: r.name } },
        h('td', { class: 'mono strong' }, r.name),
        h('td', {}, badge(r.phase)),
        h('td', {}, r.region || '—'),
        h('td', { class: 'mono small' }, r.endpoint || '—'),
        h('td', {}, h('span', { class: 'sessions' }, `${count(r.sessions)}${r.capacity ? ` / ${count(r.capacity)}` : ''}`), r.capacity > 0 && meter),
        h('td', { class: 'muted' }, r.lastSeen),
        h('td', { class: 'pairing-cell' }, h('span', { class: `badge ${r.pairing ? 'pill-on' : 'pill-off'}` }, r.pairing ? `on${r.closes ? ` · ${r.closes}` : ''}` : 'off'), usable && toggle),
      );
    });
    container.replaceChildren(h('div', { class: 'table-wrap' }, h('table', { class: 'table' }, h('thead', {}, head), h('tbody', {}, body))));
  });
}
