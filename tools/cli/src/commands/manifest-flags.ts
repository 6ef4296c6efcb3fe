import type { FlagSpecs } from '../args/parse-flags';
import { parseCount, parseSize } from '../args/values';
import type { CommandContext } from '../command';
import { InputError, UsageError } from '../errors';
import { inspectModule, signRevision, type ManifestInput, type RuntimeSettings, type SignedManifest } from '../signing';
import { readInputFile, readPublisherKey } from './files';

/** Flags that decide a revision's manifest; shared by `sign`, `app create` and `app update`. */
export const MANIFEST_FLAGS: FlagSpecs = {
  wasm: { type: 'string', value: 'FILE', help: 'the WebAssembly module' },
  key: { type: 'string', value: 'FILE', help: 'publisher private key (from `wasmbed keys generate`)' },
  entry: { type: 'string', value: 'NAME', help: 'exported function the runtime starts (default run)' },
  memory: { type: 'string', value: 'SIZE', help: 'linear memory limit, e.g. 256KiB (default 256KiB)' },
  'cpu-ms': { type: 'string', value: 'MS', help: 'CPU time limit per invocation in ms; 0 = none (default 0)' },
  env: { type: 'string', multiple: true, value: 'K=V', help: 'environment variable (repeatable; replaces the whole set)' },
  arg: { type: 'string', multiple: true, value: 'ARG', help: 'argument (repeatable; replaces the whole list)' },
  'host-fn': {
    type: 'string',
    multiple: true,
    value: 'NAME',
    help: 'required host function, e.g. wasmbed.log (repeatable; default: the module\'s "wasmbed" imports)',
  },
  'auto-restart': { type: 'boolean', help: 'restart the app when it traps or exits' },
  'no-auto-restart': { type: 'boolean', help: 'do not restart the app (the default)' },
  'max-restarts': { type: 'string', value: 'N', help: 'restarts allowed before the deployment fails (with --auto-restart)' },
};

/** Where values not given as flags come from: fixed defaults, or the latest revision. */
export interface ManifestDefaults {
  readonly entryPoint: string;
  readonly config: RuntimeSettings;
}

export const NEW_APP_DEFAULTS: ManifestDefaults = {
  entryPoint: 'run',
  config: { memoryLimitBytes: 256 * 1024, cpuTimeLimitMs: 0, env: {}, args: [], autoRestart: false, maxRestarts: 0 },
};

/**
 * Reads the module and the key, applies the manifest flags over `defaults` and
 * signs the manifest of `revision`. Problems a publisher can fix before the api
 * sees the request (an entry point the module does not export, imports no
 * runtime provides) are reported here.
 */
export function signFromFlags(ctx: CommandContext, name: string, revision: number, defaults: ManifestDefaults): SignedRevision {
  const { args } = ctx;
  const config = runtimeSettingsFrom(ctx, defaults.config);
  const entryPoint = args.string('entry') ?? defaults.entryPoint;
  const wasmPath = ctx.resolvePath(args.requiredString('wasm'));
  const keyPath = ctx.resolvePath(args.requiredString('key'));

  const module = readInputFile(wasmPath, 'the module');
  const iface = inspectModule(module, wasmPath);
  if (!iface.exportedFunctions.includes(entryPoint)) {
    const exported = iface.exportedFunctions.length === 0 ? 'no functions' : iface.exportedFunctions.join(', ');
    throw new InputError(`${wasmPath} exports no function '${entryPoint}' (it exports ${exported}); pass --entry`);
  }
  if (iface.foreignImports.length > 0) {
    ctx.out.note(`warning: the module imports ${iface.foreignImports.join(', ')}, which Wasmbed runtimes do not provide`);
  }
  const hostFunctions = args.has('host-fn') ? args.list('host-fn') : iface.hostFunctions;
  const unlisted = iface.hostFunctions.filter((f) => !hostFunctions.includes(f));
  if (unlisted.length > 0) ctx.out.note(`warning: the module imports ${unlisted.join(', ')}, not listed in --host-fn`);

  const publisher = readPublisherKey(keyPath);
  const input: ManifestInput = { name, revision, module, entryPoint, requiredHostFunctions: hostFunctions, config };
  return { input, signed: signRevision(input, publisher) };
}

export interface SignedRevision {
  readonly input: ManifestInput;
  readonly signed: SignedManifest;
}

function runtimeSettingsFrom(ctx: CommandContext, defaults: RuntimeSettings): RuntimeSettings {
  const { args } = ctx;
  const memoryLimitBytes = args.value('memory', parseSize) ?? defaults.memoryLimitBytes;
  if (memoryLimitBytes === 0) throw new UsageError('--memory: must be more than 0', args.command);
  const autoRestartFlag = args.oneOf(['auto-restart', 'no-auto-restart'], false);
  const autoRestart = autoRestartFlag === undefined ? defaults.autoRestart : autoRestartFlag === 'auto-restart';
  const maxRestarts = args.value('max-restarts', parseCount);
  if (maxRestarts !== undefined && !autoRestart) throw new UsageError('--max-restarts needs --auto-restart', args.command);
  return {
    memoryLimitBytes,
    cpuTimeLimitMs: args.value('cpu-ms', parseCount) ?? defaults.cpuTimeLimitMs,
    env: args.has('env') ? args.keyValues('env') : defaults.env,
    args: args.has('arg') ? args.list('arg') : defaults.args,
    autoRestart,
    maxRestarts: autoRestart ? (maxRestarts ?? defaults.maxRestarts) : 0,
  };
}
