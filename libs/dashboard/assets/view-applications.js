// @ts-check
/** Applications with the rollout of each revision: progress per phase, waves, failing devices. */
import { badge, empty, h, renderIfChanged } from './dom.js';
import { count, relativeTime } from './format.js';
import { applicationPhase, rolloutsOf, sortedApplications } from './selectors.js';

/** Failing devices listed per rollout before "and N more". */
const MAX_FAILING = 8;
/** Rollouts shown open per application; older ones fold away. */
const OPEN_ROLLOUTS = 2;
/** Applications whose older rollouts the operator unfolded, kept across redraws. */
const unfolded = new Set();

/** @typedef {ReturnType<typeof rolloutsOf>[number]} RolloutView */

/** @param {RolloutView} r @param {number} nowMs */
function rolloutBlock(r, nowMs) {
  const bar = h('div', { class: 'progress', role: 'img', attrs: { 'aria-label': r.segments.map((s) => `${s.count} ${s.key}`).join(', ') } });
  for (const s of r.segments) {
    if (s.count === 0) continue;
    const part = h('span', { class: `progress-${s.key}`, title: `${s.count} ${s.key}` });
    part.style.width = `${s.percent}%`;
    bar.append(part);
  }
  const when = r.finishedAt ? `finished ${relativeTime(r.finishedAt, nowMs)}` : `started ${relativeTime(r.startedAt, nowMs)}`;
  const failing = r.failing.slice(0, MAX_FAILING);
  return h(
    'div',
    { class: 'rollout', data: { revision: String(r.revision) } },
    h(
      'div',
      { class: 'rollout-head' },
      h('span', { class: 'strong' }, `Revision ${r.revision}`),
      r.hash && h('span', { class: 'mono muted', title: 'module SHA-256 (first 8 hex digits)' }, r.hash),
      badge(r.phase),
      r.deployed && h('span', { class: 'tag' }, 'deployed'),
      h('span', { class: 'muted' }, r.waves),
      h('span', { class: 'muted push' }, when),
    ),
    bar,
    h(
      'ul',
      { class: 'legend' },
      r.segments.map((s) => h('li', { class: `legend-item${s.count === 0 ? ' zero' : ''}` }, h('span', { class: `swatch progress-${s.key}` }), `${count(s.count)} ${s.key}`)),
      h('li', { class: 'legend-item muted' }, `of ${count(r.total)} targets`),
    ),
    r.message && h('p', { class: 'rollout-message' }, r.message),
    failing.length > 0 &&
      h(
        'ul',
        { class: 'failing' },
        failing.map((f) => h('li', {}, h('span', { class: 'mono strong' }, f.device), h('span', {}, ` ${f.reason || 'no reason given'}`), h('span', { class: 'muted' }, ` · ${relativeTime(f.failedAt, nowMs)}`))),
        r.failing.length > MAX_FAILING && h('li', { class: 'muted' }, `and ${count(r.failing.length - MAX_FAILING)} more`),
      ),
  );
}

/**
 * The writes that make sense in the application's state; the api still decides
 * (a refused one shows its reason as a toast).
 * @param {import('./state.js').Application} app
 * @param {RolloutView | undefined} latest the newest rollout
 * @param {import('./view-pending.js').WriteContext} ctx
 */
function rolloutActions(app, latest, ctx) {
  const name = app.name;
  /** @param {string} action @param {string} label @param {string} kind */
  const button = (action, label, kind) => h('button', { class: `btn ${kind} btn-small`, type: 'button', data: { action, application: name } }, label);
  const inFlight = latest !== undefined && (latest.phase === 'in_progress' || latest.phase === 'paused');
  const buttons = [];
  const latestRevision = app.latestRevision ?? 0;
  if (!inFlight && latestRevision > 0 && !(latest?.revision === latestRevision && latest.phase === 'completed')) {
    const deploy = button('deploy', `Deploy revision ${latestRevision}`, 'btn-primary');
    deploy.addEventListener('click', () => ctx.run(deploy, `rollout of ${name} revision ${latestRevision} started`, () => ctx.api.deployApplication(name)));
    buttons.push(deploy);
  }
  if (latest?.phase === 'in_progress') {
    const pause = button('pause', 'Pause', 'btn-ghost');
    pause.addEventListener('click', () => ctx.run(pause, `paused the rollout of ${name}`, () => ctx.api.pauseRollout(name, 'paused from the dashboard')));
    buttons.push(pause);
  }
  if (latest?.phase === 'paused') {
    const resume = button('resume', 'Resume', 'btn-primary');
    resume.addEventListener('click', () => ctx.run(resume, `resumed the rollout of ${name}`, () => ctx.api.resumeRollout(name)));
    buttons.push(resume);
  }
  if (inFlight) {
    const rollback = button('rollback', 'Roll back', 'btn-danger');
    rollback.addEventListener('click', async () => {
      const reason = await ctx.askReason(`Roll back ${name}?`, 'Every target returns to the last revision whose rollout completed. The reason is recorded in the event log.');
      if (reason !== null) ctx.run(rollback, `rolling ${name} back`, () => ctx.api.rollbackRollout(name, reason));
    });
    buttons.push(rollback);
  }
  if (inFlight || (app.deployedRevision ?? 0) > 0) {
    const stop = button('stop', 'Stop', 'btn-danger');
    stop.addEventListener('click', () => {
      if (window.confirm(`Stop ${name} on every device?`)) ctx.run(stop, `stopping ${name}`, () => ctx.api.stopApplication(name));
    });
    buttons.push(stop);
  }
  return buttons.length === 0 ? false : h('div', { class: 'actions' }, buttons);
}

/**
 * @param {import('./state.js').Application} app
 * @param {number} nowMs
 * @param {import('./view-pending.js').WriteContext} ctx
 */
function applicationCard(app, nowMs, ctx) {
  const rollouts = rolloutsOf(app);
  const older = rollouts.slice(OPEN_ROLLOUTS);
  const fold = h('details', { class: 'older' }, h('summary', {}, `${older.length} older rollout${older.length === 1 ? '' : 's'}`), older.map((r) => rolloutBlock(r, nowMs)));
  fold.open = unfolded.has(app.name);
  fold.addEventListener('toggle', () => (fold.open ? unfolded.add(app.name) : unfolded.delete(app.name)));
  return h(
    'article',
    { class: 'app', data: { application: app.name } },
    h(
      'header',
      { class: 'app-head' },
      h('h3', { class: 'mono' }, app.name),
      badge(applicationPhase(app)),
      h('span', { class: 'muted push' }, `latest revision ${app.latestRevision ?? 0}${app.deployedRevision ? ` · deployed ${app.deployedRevision}` : ' · never deployed'}`),
    ),
    rollouts.length === 0 ? empty('No rollout yet.') : rollouts.slice(0, OPEN_ROLLOUTS).map((r) => rolloutBlock(r, nowMs)),
    older.length > 0 && fold,
    rolloutActions(app, rollouts[0], ctx),
  );
}

/**
 * @param {HTMLElement} container
 * @param {import('./state.js').State} state
 * @param {number} nowMs
 * @param {import('./view-pending.js').WriteContext} ctx
 */
export function renderApplications(container, state, nowMs, ctx) {
  const apps = sortedApplications(state);
  // Times are part of the key so "started 3 min ago" moves on; the rest only changes with an event.
  const key = `${state.applications.revision}|${apps.map((a) => rolloutsOf(a).map((r) => relativeTime(r.finishedAt ?? r.startedAt, nowMs)).join()).join(';')}`;
  renderIfChanged(container, key, () => {
    container.replaceChildren(
      apps.length === 0
        ? empty('No application yet. Create one with npx wasmbed app create (gRPC ApplicationService).')
        : h('div', { class: 'apps' }, apps.map((a) => applicationCard(a, nowMs, ctx))),
    );
  });
}
