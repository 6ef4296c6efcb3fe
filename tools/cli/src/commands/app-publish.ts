import type { Command, CommandContext } from '../command';
import { formatBytes, shortHex } from '../output/format';
import { applicationSpecOf, STRATEGY_FLAGS, strategyFrom, TARGET_FLAGS, targetsFrom } from './app-spec';
import { MANIFEST_FLAGS, NEW_APP_DEFAULTS, signFromFlags, type ManifestDefaults, type SignedRevision } from './manifest-flags';
import { commandFields } from './requests';
import { present } from './responses';

const PUBLISH_FLAGS = { ...MANIFEST_FLAGS, ...TARGET_FLAGS, ...STRATEGY_FLAGS };

function reportPublished(ctx: CommandContext, name: string, verb: string, response: { revision: number; version: number }, { signed }: SignedRevision): void {
  const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
  if (ctx.out.json) {
    return ctx.out.jsonValue({ name, revision: response.revision, version: response.version, sha256: hex(signed.sha256), sizeBytes: signed.sizeBytes, publisherKey: hex(signed.publisherKey) });
  }
  ctx.out.line(
    `application ${name} ${verb}: revision ${response.revision} (module ${formatBytes(signed.sizeBytes)}, sha256 ${shortHex(signed.sha256)}, publisher ${shortHex(signed.publisherKey)}; version ${response.version})`,
  );
  ctx.out.note(`deploy it with: wasmbed app deploy ${name}${verb === 'updated' ? ` --revision ${response.revision}` : ''}`);
}

const create: Command = {
  path: ['app', 'create'],
  usage: 'NAME --wasm FILE --key FILE (--devices A,B | --selector K=V,... | --all)',
  arity: [1, 1],
  summary: 'Create an application: sign revision 1 of the module and upload it (nothing is deployed yet)',
  flags: PUBLISH_FLAGS,
  examples: [
    'wasmbed app create hello --wasm hello.wasm --key publisher.key --all',
    'wasmbed app create blinky --wasm blinky.wasm --key publisher.key --selector env=prod --memory 128KiB --env LED=13 --canary 1 --batch 25% --health-gate 30s',
  ],
  async run(ctx) {
    const name = ctx.args.arg(0);
    const targets = targetsFrom(ctx.args);
    const strategy = strategyFrom(ctx.args);
    const revision = signFromFlags(ctx, name, 1, NEW_APP_DEFAULTS);
    const response = await ctx.api().unary('apps', 'createApplication', {
      ...commandFields(),
      name,
      spec: applicationSpecOf(revision, targets, strategy),
    });
    reportPublished(ctx, name, 'created', response, revision);
  },
};

const update: Command = {
  path: ['app', 'update'],
  usage: 'NAME --wasm FILE --key FILE',
  arity: [1, 1],
  summary: 'Add a revision (latest + 1) signed for the module; flags not given keep the latest revision\'s values',
  flags: PUBLISH_FLAGS,
  examples: ['wasmbed app update hello --wasm hello-v2.wasm --key publisher.key --env GREETING=hi'],
  async run(ctx) {
    const name = ctx.args.arg(0);
    const app = present((await ctx.api().unary('apps', 'getApplication', { name })).application, 'an application');
    const latest = app.revisions.find((r) => r.revision === app.latestRevision)?.spec;
    const targets = targetsFrom(ctx.args, latest?.targets);
    const strategy = strategyFrom(ctx.args, latest?.strategy);
    const defaults: ManifestDefaults = latest?.config === undefined ? NEW_APP_DEFAULTS : { entryPoint: latest.entryPoint, config: latest.config };
    const revision = signFromFlags(ctx, name, app.latestRevision + 1, defaults);
    // expected_version: if another revision lands first, the signed revision number would be wrong; fail instead.
    const response = await ctx.api().unary('apps', 'updateApplication', {
      ...commandFields(),
      expectedVersion: app.version,
      name,
      spec: applicationSpecOf(revision, targets, strategy),
    });
    reportPublished(ctx, name, 'updated', response, revision);
  },
};

export const APP_PUBLISH_COMMANDS: readonly Command[] = [create, update];
