// @ts-check
/** Devices that asked to join while pairing mode was on, with approve / reject. */
import { empty, h, renderIfChanged } from './dom.js';
import { relativeTime } from './format.js';
import { awaitingApproval } from './selectors.js';

/**
 * What the views need to write: the api client and a runner that shows the
 * outcome (a toast) and keeps the button disabled while the call runs.
 * @typedef {object} WriteContext
 * @property {import('./api-client.js').ApiClient} api
 * @property {(button: HTMLButtonElement, done: string, call: () => Promise<unknown>) => void} run
 * @property {(title: string, detail: string) => Promise<string | null>} askReason  null when cancelled
 */

/**
 * @param {HTMLElement} container
 * @param {import('./state.js').State} state
 * @param {number} nowMs
 * @param {WriteContext} ctx
 */
export function renderPending(container, state, nowMs, ctx) {
  const devices = awaitingApproval(state).map((d) => ({
    name: d.name,
    facts: [d.capabilities?.board ?? d.board, d.capabilities?.firmware, d.gateway && `via ${d.gateway}`, d.lastSeenAt && `seen ${relativeTime(d.lastSeenAt, nowMs)}`].filter(Boolean).join(' · '),
  }));
  renderIfChanged(container, JSON.stringify(devices), () => build(container, devices, ctx));
}

/**
 * @param {HTMLElement} container
 * @param {{ name: string, facts: string }[]} devices
 * @param {WriteContext} ctx
 */
function build(container, devices, ctx) {
  if (devices.length === 0) {
    container.replaceChildren(empty('No device is waiting. Devices with unknown keys that connect while pairing mode is on appear here.'));
    return;
  }
  container.replaceChildren(
    h(
      'ul',
      { class: 'pending-list' },
      devices.map((d) => {
        const approve = h('button', { class: 'btn btn-primary btn-small', type: 'button', data: { action: 'approve', device: d.name } }, 'Approve');
        const reject = h('button', { class: 'btn btn-danger btn-small', type: 'button', data: { action: 'reject', device: d.name } }, 'Reject');
        approve.addEventListener('click', () => ctx.run(approve, `approved ${d.name}`, () => ctx.api.approveDevice(d.name)));
        reject.addEventListener('click', async () => {
          const reason = await ctx.askReason(`Reject ${d.name}?`, 'The key is refused for good: the device cannot join under this name again. The reason is recorded in the event log.');
          if (reason !== null) ctx.run(reject, `rejected ${d.name}`, () => ctx.api.rejectDevice(d.name, reason));
        });
        return h('li', { class: 'pending-item', data: { device: d.name } }, h('div', {}, h('span', { class: 'mono strong' }, d.name), h('span', { class: 'muted' }, ` ${d.facts}`)), h('div', { class: 'actions' }, approve, reject));
      }),
    ),
  );
}
