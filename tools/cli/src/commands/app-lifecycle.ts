import { parsePositiveCount } from '../args/values';
import type { Command, CommandContext } from '../command';
import { EXIT } from '../errors';
import { STRATEGY_FLAGS, strategyFrom } from './app-spec';
import { watchRollout } from './app-watch';
import { namedCommand } from './named-command';
import { commandFields } from './requests';
import { present } from './responses';

const deploy: Command = {
  path: ['app', 'deploy'],
  usage: 'NAME',
  arity: [1, 1],
  summary: 'Start a rollout of a revision (default the latest) to its targets',
  flags: {
    revision: { type: 'string', value: 'N', help: 'revision to deploy (default the latest)' },
    ...STRATEGY_FLAGS,
    wait: { type: 'boolean', help: 'follow the rollout until it ends; exit 1 if it fails or is rolled back' },
  },
  examples: ['wasmbed app deploy hello --wait', 'wasmbed app deploy hello --canary 1 --batch 25% --health-gate 30s   # this rollout only'],
  async run(ctx) {
    const name = ctx.args.arg(0);
    const revision = ctx.args.value('revision', parsePositiveCount) ?? 0;
    const response = await ctx.api().unary('apps', 'deployApplication', {
      ...commandFields(),
      name,
      revision,
      strategy: await rolloutStrategy(ctx, name, revision),
    });
    const wait = ctx.args.bool('wait');
    if (ctx.out.json) {
      // With --wait, progress lines follow: every document on one line.
      if (wait) ctx.out.jsonLine({ name, ...response });
      else ctx.out.jsonValue({ name, ...response });
    } else {
      ctx.out.line(`application ${name}: rollout of revision ${response.revision} started (version ${response.version})`);
      for (const excluded of response.excludedDevices) {
        ctx.out.line(`left out ${excluded.device}, which cannot run revision ${response.revision}: ${excluded.reasons.join('; ')}`);
      }
    }
    if (!wait) return EXIT.ok;
    // Changes before the deploy's commit still show the previous rollout of this revision.
    return watchRollout(ctx, name, { revision: response.revision, minPosition: response.version });
  },
};

/**
 * Strategy flags override the revision's strategy for this rollout only; the
 * flags not given keep the revision's values, so it is read first.
 */
async function rolloutStrategy(ctx: CommandContext, name: string, revision: number) {
  if (!Object.keys(STRATEGY_FLAGS).some((flag) => ctx.args.has(flag))) return undefined;
  const app = present((await ctx.api().unary('apps', 'getApplication', { name })).application, 'an application');
  const wanted = revision === 0 ? app.latestRevision : revision;
  return strategyFrom(ctx.args, app.revisions.find((r) => r.revision === wanted)?.spec?.strategy);
}

const pause = namedCommand({
  path: ['app', 'pause'],
  resource: 'application',
  summary: 'Pause the rollout in progress (devices already started keep running)',
  flags: { reason: { type: 'string', value: 'TEXT', help: 'shown as the rollout message' } },
  call: (ctx, name) => ctx.api().unary('apps', 'pauseRollout', { ...commandFields(), name, reason: ctx.args.string('reason') ?? '' }),
  done: () => 'rollout paused',
});

const resume = namedCommand({
  path: ['app', 'resume'],
  resource: 'application',
  summary: 'Resume a paused rollout',
  call: (ctx, name) => ctx.api().unary('apps', 'resumeRollout', { ...commandFields(), name }),
  done: () => 'rollout resumed',
});

const rollback = namedCommand({
  path: ['app', 'rollback'],
  usage: 'NAME --reason TEXT',
  resource: 'application',
  summary: 'Roll back to the last revision whose rollout completed',
  flags: {
    reason: { type: 'string', value: 'TEXT', help: 'why (required; recorded in the event log)' },
    'to-revision': { type: 'string', value: 'N', help: 'only if this is the revision the rollback would go to (a safety check)' },
  },
  call: (ctx, name) =>
    ctx.api().unary('apps', 'rollbackRollout', {
      ...commandFields(),
      name,
      reason: ctx.args.requiredString('reason'),
      toRevision: ctx.args.value('to-revision', parsePositiveCount) ?? 0,
    }),
  done: (response) => `rolling back to revision ${response.revision}`,
});

const stop = namedCommand({
  path: ['app', 'stop'],
  resource: 'application',
  summary: 'Stop the application on every device (revisions are kept)',
  call: (ctx, name) => ctx.api().unary('apps', 'stopApplication', { ...commandFields(), name }),
  done: () => 'stopping',
});

const remove = namedCommand({
  path: ['app', 'delete'],
  resource: 'application',
  summary: 'Stop the application everywhere, then delete it',
  call: (ctx, name) => ctx.api().unary('apps', 'deleteApplication', { ...commandFields(), name }),
  done: () => 'deleting',
});

export const APP_LIFECYCLE_COMMANDS: readonly Command[] = [deploy, pause, resume, rollback, stop, remove];
