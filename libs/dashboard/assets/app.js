// @ts-check
/**
 * The dashboard page: asks for an api token once per browser tab, follows the
 * change stream into the state, and redraws (at most once per frame) what it shows.
 */
import { createApiClient, failureText, ApiError } from './api-client.js';
import { byId, h } from './dom.js';
import { followEvents } from './event-stream.js';
import { createState, reduce } from './state.js';
import { renderApplications } from './view-applications.js';
import { DeviceTable } from './view-devices.js';
import { renderGateways, renderPairing } from './view-gateways.js';
import { renderPending } from './view-pending.js';
import { renderSummary } from './view-summary.js';

const TOKEN_KEY = 'wasmbed.dashboard.token';
/** Relative times ("12 s ago") and pairing windows move on without events. */
const TICK_MS = 5_000;

const ui = {
  login: byId('login'),
  loginForm: /** @type {HTMLFormElement} */ (byId('login-form')),
  token: /** @type {HTMLInputElement} */ (byId('token')),
  loginError: byId('login-error'),
  dashboard: byId('dashboard'),
  live: byId('live'),
  liveText: byId('live-text'),
  signOut: byId('sign-out'),
  summary: byId('summary'),
  pairing: byId('pairing'),
  pending: byId('pending'),
  devices: byId('devices'),
  applications: byId('applications'),
  gateways: byId('gateways'),
  toasts: byId('toasts'),
  reasonDialog: /** @type {HTMLDialogElement} */ (byId('reason-dialog')),
  reasonForm: /** @type {HTMLFormElement} */ (byId('reason-form')),
  reasonTitle: byId('reason-title'),
  reasonDetail: byId('reason-detail'),
  reasonInput: /** @type {HTMLInputElement} */ (byId('reason-input')),
  reasonCancel: byId('reason-cancel'),
};

const table = new DeviceTable(ui.devices, {
  filter: /** @type {HTMLInputElement} */ (byId('device-filter')),
  phase: /** @type {HTMLSelectElement} */ (byId('device-phase')),
  countLabel: byId('device-count'),
});

/** @type {{ stop(): void } | undefined} */
let session;

/** @returns {string | null} */
function storedToken() {
  try {
    return sessionStorage.getItem(TOKEN_KEY);
  } catch {
    return null;
  }
}

/** @param {string | null} token */
function storeToken(token) {
  try {
    if (token === null) sessionStorage.removeItem(TOKEN_KEY);
    else sessionStorage.setItem(TOKEN_KEY, token);
  } catch {
    // Storage disabled: the token lives as long as the page.
  }
}

/**
 * @param {string} kind connecting | live | reconnecting | offline
 * @param {string} text
 * @param {string} [title]
 */
function setLive(kind, text, title = '') {
  ui.live.className = `live live-${kind}`;
  ui.live.dataset.state = kind;
  ui.liveText.textContent = text;
  ui.live.title = title;
}

/** @param {string} text @param {'ok' | 'error'} kind */
function toast(text, kind) {
  const el = h('div', { class: `toast toast-${kind}`, role: kind === 'error' ? 'alert' : 'status' }, text);
  ui.toasts.append(el);
  setTimeout(() => el.remove(), kind === 'error' ? 9_000 : 4_000);
}

/** @param {string} message shown above the token field ('' for none) */
function showLogin(message) {
  session?.stop();
  session = undefined;
  ui.dashboard.hidden = true;
  ui.signOut.hidden = true;
  ui.login.hidden = false;
  ui.loginError.textContent = message;
  ui.loginError.hidden = message === '';
  setLive('offline', 'Not connected');
  ui.token.focus();
}

/**
 * @param {string} title
 * @param {string} detail
 * @returns {Promise<string | null>}
 */
function askReason(title, detail) {
  ui.reasonTitle.textContent = title;
  ui.reasonDetail.textContent = detail;
  ui.reasonInput.value = '';
  ui.reasonDialog.showModal();
  return new Promise((resolve) => {
    const finish = (/** @type {string | null} */ value) => {
      ui.reasonForm.removeEventListener('submit', submit);
      ui.reasonCancel.removeEventListener('click', cancel);
      ui.reasonDialog.removeEventListener('cancel', cancel);
      ui.reasonDialog.close();
      resolve(value);
    };
    const submit = (/** @type {Event} */ e) => {
      e.preventDefault();
      const reason = ui.reasonInput.value.trim();
      if (reason !== '') finish(reason);
    };
    const cancel = (/** @type {Event} */ e) => {
      e.preventDefault();
      finish(null);
    };
    ui.reasonForm.addEventListener('submit', submit);
    ui.reasonCancel.addEventListener('click', cancel);
    ui.reasonDialog.addEventListener('cancel', cancel);
  });
}

/** @param {string} token */
function start(token) {
  session?.stop();
  ui.login.hidden = true;
  ui.dashboard.hidden = false;
  ui.signOut.hidden = false;
  // A new session starts from nothing: forget what the views drew for the last one.
  for (const container of [ui.pairing, ui.pending, ui.applications, ui.gateways]) delete container.dataset.renderKey;
  const state = createState();
  const api = createApiClient(token);
  let frame = 0;
  const draw = () => {
    frame = 0;
    const now = Date.now();
    const ctx = { api, run, askReason };
    renderSummary(ui.summary, state, now, { onDevicePhase: (phase) => table.showPhase(phase) });
    renderPairing(ui.pairing, state, now, ctx);
    renderPending(ui.pending, state, now, ctx);
    table.update(state, now);
    renderApplications(ui.applications, state, now, ctx);
    renderGateways(ui.gateways, state, now, ctx);
  };
  const schedule = () => {
    if (frame === 0) frame = requestAnimationFrame(draw);
  };

  /**
   * @param {HTMLButtonElement} button
   * @param {string} done
   * @param {() => Promise<unknown>} call
   */
  function run(button, done, call) {
    button.disabled = true;
    button.classList.add('busy');
    call()
      .then(() => toast(done, 'ok'))
      .catch((/** @type {unknown} */ err) => {
        toast(failureText(err), 'error');
        if (err instanceof ApiError && err.status === 401) signOut(failureText(err));
      })
      .finally(() => {
        button.disabled = false;
        button.classList.remove('busy');
      });
  }

  /** @type {ReturnType<typeof setInterval> | undefined} */
  let countdown;
  const stream = followEvents({
    url: '/api/v1/events',
    token,
    onOpen: () => reduce(state, { type: 'resync' }),
    onSettled: () => {
      reduce(state, { type: 'settled' });
      ui.dashboard.classList.remove('loading');
      schedule();
    },
    onEvent: (event) => {
      let data;
      try {
        data = JSON.parse(event.data);
      } catch {
        return;
      }
      if (reduce(state, { type: 'change', event: event.type, data }).length > 0) schedule();
    },
    onStatus: (status) => {
      clearInterval(countdown);
      switch (status.state) {
        case 'connecting':
          setLive('connecting', 'Connecting…');
          break;
        case 'live':
          setLive('live', 'Live', 'Following /api/v1/events');
          break;
        case 'reconnecting': {
          const show = () => setLive('reconnecting', `Reconnecting in ${Math.max(0, Math.ceil((status.retryAtMs - Date.now()) / 1000))} s`, `Lost the change stream: ${status.reason}. Click to retry now.`);
          show();
          countdown = setInterval(show, 1_000);
          break;
        }
        case 'unauthorized':
          signOut(
            status.status === 401
              ? `The api did not accept this token (401: ${status.message}). Paste a valid token.`
              : `This token may not read the fleet (403: ${status.message}). Use a token with at least the viewer role.`,
          );
          break;
        case 'stopped':
          break;
      }
    },
  });
  const tick = setInterval(schedule, TICK_MS);
  ui.dashboard.classList.add('loading');
  session = {
    stop() {
      clearInterval(tick);
      clearInterval(countdown);
      cancelAnimationFrame(frame);
      stream.stop();
    },
  };
  ui.live.onclick = () => stream.reconnectNow();
  schedule();
}

/** @param {string} message */
function signOut(message) {
  storeToken(null);
  showLogin(message);
}

ui.loginForm.addEventListener('submit', (e) => {
  e.preventDefault();
  const token = ui.token.value.trim();
  if (token === '') return;
  ui.token.value = '';
  storeToken(token);
  start(token);
});
ui.signOut.addEventListener('click', () => signOut(''));
document.addEventListener('keydown', (e) => {
  const target = /** @type {HTMLElement} */ (e.target);
  if (e.key === '/' && !['INPUT', 'SELECT', 'TEXTAREA'].includes(target.tagName) && !ui.dashboard.hidden) {
    e.preventDefault();
    byId('device-filter').focus();
  }
});

const token = storedToken();
if (token) start(token);
else showLogin('');
