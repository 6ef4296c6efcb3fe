// @ts-check
/**
 * The devices table, virtualised: only the rows in view (plus a margin) are in
 * the DOM, so a fleet of thousands scrolls and updates without freezing the page.
 */
import { badge, h } from './dom.js';
import { count, humanize, relativeTime } from './format.js';
import { DEVICE_PHASES, appsOnDevice, devicePhase, filterDevices, sortedDevices } from './selectors.js';

/** Must match `.vt-row` height in app.css. */
export const ROW_HEIGHT = 44;
/** Rows drawn above and below the visible ones, so fast scrolling shows no gaps. */
const OVERSCAN = 10;
const COLUMNS = ['Device', 'Phase', 'Board', 'Gateway', 'Last seen', 'Applications'];

export class DeviceTable {
  /** @type {import('./state.js').Device[]} */
  #all = [];
  /** @type {import('./state.js').Device[]} */
  #shown = [];
  #seen = { devices: -1, applications: -1 };
  /** @type {import('./state.js').State | undefined} */
  #state;
  #nowMs = Date.now();
  #drawQueued = false;
  #viewport;
  #body;
  #head;
  #filter;
  #phase;
  #countLabel;

  /**
   * @param {HTMLElement} container
   * @param {{ filter: HTMLInputElement, phase: HTMLSelectElement, countLabel: HTMLElement }} controls
   */
  constructor(container, controls) {
    this.#filter = controls.filter;
    this.#phase = controls.phase;
    this.#countLabel = controls.countLabel;
    this.#phase.replaceChildren(
      new Option('All phases', ''),
      ...DEVICE_PHASES.filter((p) => p !== 'unspecified').map((p) => new Option(humanize(p), p)),
    );
    this.#head = h('div', { class: 'vt-row vt-head', role: 'row' }, COLUMNS.map((c) => h('div', { class: 'vt-cell', role: 'columnheader' }, c)));
    this.#body = h('div', { class: 'vt-body', role: 'rowgroup' });
    this.#viewport = h('div', { class: 'vt-viewport', role: 'table', attrs: { 'aria-label': 'Devices', tabindex: '0' } }, h('div', { role: 'rowgroup', class: 'vt-headgroup' }, this.#head), this.#body);
    container.replaceChildren(this.#viewport);
    this.#viewport.addEventListener('scroll', () => this.#queueDraw(), { passive: true });
    this.#filter.addEventListener('input', () => this.#refilter());
    this.#phase.addEventListener('change', () => this.#refilter());
    new ResizeObserver(() => this.#queueDraw()).observe(this.#viewport);
  }

  /** Shows only devices in `phase` ('' = all). @param {string} phase */
  showPhase(phase) {
    this.#phase.value = phase;
    this.#refilter();
    this.#viewport.scrollIntoView({ behavior: 'smooth', block: 'nearest' });
  }

  /**
   * @param {import('./state.js').State} state
   * @param {number} nowMs
   */
  update(state, nowMs) {
    const fresh = state !== this.#state;
    this.#state = state;
    this.#nowMs = nowMs;
    if (fresh || state.devices.revision !== this.#seen.devices || state.applications.revision !== this.#seen.applications) {
      this.#seen = { devices: state.devices.revision, applications: state.applications.revision };
      this.#all = sortedDevices(state);
      this.#refilter();
      return;
    }
    this.#draw();
  }

  #refilter() {
    this.#shown = filterDevices(this.#all, this.#filter.value, this.#phase.value);
    const filtered = this.#shown.length !== this.#all.length;
    this.#countLabel.textContent = filtered ? `${count(this.#shown.length)} of ${count(this.#all.length)}` : `${count(this.#all.length)} devices`;
    this.#body.style.height = `${Math.max(1, this.#shown.length) * ROW_HEIGHT}px`;
    this.#viewport.setAttribute('aria-rowcount', String(this.#shown.length + 1));
    this.#draw();
  }

  #queueDraw() {
    if (this.#drawQueued) return;
    this.#drawQueued = true;
    requestAnimationFrame(() => {
      this.#drawQueued = false;
      this.#draw();
    });
  }

  #draw() {
    const state = this.#state;
    if (state === undefined) return;
    if (this.#shown.length === 0) {
      const text = this.#all.length === 0 ? 'No device yet. Register one (gRPC RegisterDevice) or let one pair.' : 'No device matches the filter.';
      this.#body.replaceChildren(h('div', { class: 'vt-empty' }, text));
      return;
    }
    const top = Math.max(0, this.#viewport.scrollTop - this.#head.offsetHeight);
    const visible = Math.ceil(this.#viewport.clientHeight / ROW_HEIGHT);
    const first = Math.max(0, Math.floor(top / ROW_HEIGHT) - OVERSCAN);
    const last = Math.min(this.#shown.length, first + visible + 2 * OVERSCAN);
    const rows = [];
    for (let i = first; i < last; i++) rows.push(this.#row(this.#shown[i], i, state.applications.items));
    this.#body.replaceChildren(...rows);
  }

  /**
   * @param {import('./state.js').Device} d
   * @param {number} index
   * @param {Map<string, import('./state.js').Application>} applications
   */
  #row(d, index, applications) {
    const labels = Object.entries(d.labels ?? {}).map(([k, v]) => `${k}=${v}`).join(' · ');
    const apps = appsOnDevice(d, applications);
    const appsText = apps.map((a) => `${a.name} r${a.revision} ${a.hash} ${a.phase}${a.message ? ` (${a.message})` : ''}`).join('\n');
    const row = h(
      'div',
      { class: 'vt-row', role: 'row', data: { device: d.name }, attrs: { 'aria-rowindex': String(index + 2) } },
      h('div', { class: 'vt-cell vt-name', role: 'cell' }, h('span', { class: 'mono strong' }, d.name), labels && h('span', { class: 'muted small' }, labels)),
      h('div', { class: 'vt-cell', role: 'cell' }, badge(devicePhase(d))),
      h('div', { class: 'vt-cell', role: 'cell' }, d.board || '—'),
      h('div', { class: 'vt-cell mono', role: 'cell' }, d.gateway || h('span', { class: 'muted' }, '—')),
      h('div', { class: 'vt-cell muted', role: 'cell', title: d.lastSeenAt ?? '' }, relativeTime(d.lastSeenAt, this.#nowMs)),
      h(
        'div',
        { class: 'vt-cell vt-apps', role: 'cell', title: appsText },
        apps.length === 0 ? h('span', { class: 'muted' }, '—') : apps.map((a) => h('span', { class: `chip phase-${a.phase}` }, h('span', { class: 'strong' }, a.name), ` r${a.revision}`, a.hash && h('span', { class: 'mono' }, ` ${a.hash}`))),
      ),
    );
    row.style.transform = `translateY(${index * ROW_HEIGHT}px)`;
    return row;
  }
}
