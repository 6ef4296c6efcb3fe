import {
  Application,
  ApplicationPhase,
  RolloutPhase,
  RolloutStatus,
  type ApplicationRevision,
  type DeploymentTargets,
  type RolloutStrategy,
} from '@wasmbed/proto';
import { parseChoice } from '../args/values';
import type { Command, CommandContext } from '../command';
import { enumChoices, enumShortName } from '../enums';
import { formatBytes, formatDuration, formatLabels, formatTime, orDash, shortHex } from '../output/format';
import { renderProgressBar } from '../output/progress-bar';
import { watchRollout } from './app-watch';
import { collectPages } from './requests';
import { present } from './responses';
import { progressOf } from './rollout-tracker';

const PHASES = enumChoices(ApplicationPhase, 'APPLICATION_PHASE_');
const appPhaseName = (phase: ApplicationPhase) => enumShortName(ApplicationPhase, 'APPLICATION_PHASE_', phase);
const rolloutPhaseName = (phase: RolloutPhase) => enumShortName(RolloutPhase, 'ROLLOUT_PHASE_', phase);

export function targetsText(targets: DeploymentTargets | undefined): string {
  switch (targets?.kind?.$case) {
    case 'deviceNames':
      return `devices ${targets.kind.value.names.join(',')}`;
    case 'selector':
      return `selector ${formatLabels(targets.kind.value.matchLabels)}`;
    case 'allDevices':
      return 'all devices';
    default:
      return '-';
  }
}

export function strategyText(strategy: RolloutStrategy | undefined): string {
  if (strategy === undefined) return 'all at once';
  const batch = strategy.batch === undefined ? 'rest at once' : strategy.batch.$case === 'batchCount' ? `batch ${strategy.batch.value}` : `batch ${strategy.batch.value}%`;
  return `canary ${strategy.canary}, ${batch}, health gate ${formatDuration(strategy.healthGateSeconds * 1000)}, failure threshold ${strategy.failureThresholdPercent === undefined ? strategy.failureThreshold : `${strategy.failureThresholdPercent}%`}`;
}

async function getApplication(ctx: CommandContext, name: string): Promise<Application> {
  return present((await ctx.api().unary('apps', 'getApplication', { name })).application, 'an application');
}

const list: Command = {
  path: ['app', 'list'],
  summary: 'List applications',
  flags: { phase: { type: 'string', value: 'PHASE', help: `only applications in this phase (${[...PHASES.keys()].join(', ')})` } },
  async run({ args, api, out }) {
    const phase = args.value('phase', (t) => parseChoice(t, PHASES)) ?? ApplicationPhase.APPLICATION_PHASE_UNSPECIFIED;
    const apps = await collectPages(async (pageToken) => {
      const page = await api().unary('apps', 'listApplications', { pageSize: 1000, pageToken, phase });
      return { items: page.applications, nextPageToken: page.nextPageToken };
    });
    if (out.json) return out.jsonValue({ applications: apps.map((a) => Application.toJSON(a)) });
    out.table(
      ['NAME', 'PHASE', 'LATEST', 'DEPLOYED', 'ROLLOUT', 'RUNNING', 'UPDATED'],
      apps.map((a) => {
        const progress = progressOf(a, a.deployedRevision);
        const total = progress === undefined ? 0 : Object.values(progress.counts).reduce((sum, n) => sum + n, 0);
        return [
          a.name,
          appPhaseName(a.phase),
          String(a.latestRevision),
          a.deployedRevision === 0 ? '-' : String(a.deployedRevision),
          progress?.phase ?? '-',
          progress === undefined ? '-' : `${progress.counts.running}/${total}`,
          formatTime(a.updatedAt),
        ];
      }),
      'No applications.',
    );
  },
};

function revisionRow(r: ApplicationRevision): string[] {
  const spec = r.spec;
  return [
    String(r.revision),
    formatTime(r.createdAt),
    spec?.module ? shortHex(spec.module.sha256) : '-',
    spec?.module ? formatBytes(spec.module.sizeBytes) : '-',
    orDash(spec?.entryPoint),
    spec?.config ? formatBytes(spec.config.memoryLimitBytes) : '-',
    targetsText(spec?.targets),
    r.rollout ? rolloutPhaseName(r.rollout.phase) : 'never deployed',
  ];
}

/** The rollout worth showing: the deployed revision's, else the newest one that has a rollout. */
function shownRevision(app: Application): ApplicationRevision | undefined {
  return app.revisions.find((r) => r.revision === app.deployedRevision && r.rollout) ?? [...app.revisions].reverse().find((r) => r.rollout);
}

function showRollout(ctx: CommandContext, app: Application, revision: ApplicationRevision): void {
  const rollout = revision.rollout!;
  const { out } = ctx;
  out.line();
  out.fields([
    ['Rollout of revision', String(revision.revision)],
    ['Phase', rolloutPhaseName(rollout.phase)],
    ['Wave', rollout.waves.length === 0 ? '-' : `${Math.min(rollout.currentWave + 1, rollout.waves.length)}/${rollout.waves.length}`],
    ['Strategy', strategyText(revision.spec?.strategy)],
    ['Started', formatTime(rollout.startedAt)],
    ['Finished', formatTime(rollout.finishedAt)],
    ['Message', orDash(rollout.message)],
    ['Devices', progressOf(app, revision.revision) === undefined ? '-' : countsText(rollout)],
  ]);
  out.line();
  out.table(
    ['WAVE', 'DEVICES'],
    rollout.waves.map((w) => [`${w.index}${w.index === 0 && (revision.spec?.strategy?.canary ?? 0) > 0 ? ' (canary)' : ''}${w.index === rollout.currentWave ? ' *' : ''}`, w.devices.join(', ') || '-']),
    'No waves: the rollout had no target devices.',
  );
  if (rollout.failingDevices.length > 0) {
    out.line();
    out.table(['FAILING DEVICE', 'FAILED AT', 'REASON'], rollout.failingDevices.map((f) => [f.device, formatTime(f.failedAt), orDash(f.reason)]), '');
  }
}

function countsText(rollout: RolloutStatus): string {
  const c = rollout.counts ?? { pending: 0, deploying: 0, running: 0, failed: 0, stopped: 0 };
  return `running ${c.running}, failed ${c.failed}, deploying ${c.deploying}, pending ${c.pending}, stopped ${c.stopped}`;
}

const show: Command = {
  path: ['app', 'show'],
  usage: 'NAME',
  arity: [1, 1],
  summary: 'Show an application: revisions, its rollout with waves and per-phase counts, failing devices',
  async run(ctx) {
    const app = await getApplication(ctx, ctx.args.arg(0));
    if (ctx.out.json) return ctx.out.jsonValue(Application.toJSON(app));
    ctx.out.fields([
      ['Name', app.name],
      ['Phase', appPhaseName(app.phase)],
      ['Latest revision', String(app.latestRevision)],
      ['Deployed revision', app.deployedRevision === 0 ? '-' : String(app.deployedRevision)],
      ['Created', formatTime(app.createdAt)],
      ['Updated', formatTime(app.updatedAt)],
      ['Version', String(app.version)],
    ]);
    ctx.out.line();
    ctx.out.table(['REV', 'CREATED', 'SHA256', 'SIZE', 'ENTRY', 'MEMORY', 'TARGETS', 'ROLLOUT'], app.revisions.map(revisionRow), 'No revisions.');
    const revision = shownRevision(app);
    if (revision !== undefined) showRollout(ctx, app, revision);
  },
};

const status: Command = {
  path: ['app', 'status'],
  usage: 'NAME',
  arity: [1, 1],
  summary: 'Show the rollout progress; with --watch follow it live until it ends',
  flags: { watch: { type: 'boolean', help: 'follow until the rollout ends: exit 0 when it completes, 1 when it fails or is rolled back' } },
  async run(ctx) {
    const name = ctx.args.arg(0);
    // Also the existence check: a watch would silently wait for an application that does not exist.
    const app = await getApplication(ctx, name);
    if (ctx.args.bool('watch')) return watchRollout(ctx, name);
    const revision = app.revisions.find((r) => r.revision === app.deployedRevision);
    const rollout = revision?.rollout;
    if (ctx.out.json) {
      return ctx.out.jsonValue({ name, phase: ApplicationPhase[app.phase], revision: app.deployedRevision, rollout: rollout ? RolloutStatus.toJSON(rollout) : null });
    }
    const progress = progressOf(app, app.deployedRevision);
    if (progress === undefined) return ctx.out.line(`application ${name} (${appPhaseName(app.phase)}) has never been deployed`);
    ctx.out.line(renderProgressBar(progress, { width: 24, unicode: ctx.io.stdout.isTTY === true }));
    if (rollout?.message) ctx.out.line(`message: ${rollout.message}`);
    for (const f of rollout?.failingDevices ?? []) ctx.out.line(`failing: ${f.device} (${formatTime(f.failedAt)}): ${f.reason}`);
  },
};

export const APP_VIEW_COMMANDS: readonly Command[] = [list, show, status];
