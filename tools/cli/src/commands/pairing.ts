import { GatewayPhase, type SetPairingModeRequest } from '@wasmbed/proto';
import type { FlagSpecs } from '../args/parse-flags';
import { parseSeconds } from '../args/values';
import type { Command, CommandContext } from '../command';
import { EXIT, UsageError } from '../errors';
import { formatTime } from '../output/format';
import { gatewayPhaseName, listAllGateways, pairingText } from './gateway';
import { commandFields } from './requests';

const TARGET_FLAGS: FlagSpecs = {
  gateway: { type: 'string', value: 'NAME', help: 'only this gateway' },
  all: { type: 'boolean', help: 'every registered gateway (the default)' },
};

/** The api's bounds for a pairing window. */
const MAX_WINDOW_SECONDS = 3600;

function targetOf({ args }: CommandContext): SetPairingModeRequest['target'] {
  return args.oneOf(['gateway', 'all'], false) === 'gateway'
    ? { $case: 'gateway', value: args.requiredString('gateway') }
    : { $case: 'allGateways', value: true };
}

async function setPairing(ctx: CommandContext, enabled: boolean, durationSeconds: number): Promise<number> {
  const { results } = await ctx.api().unary('devices', 'setPairingMode', {
    ...commandFields(),
    target: targetOf(ctx),
    enabled,
    durationSeconds,
  });
  if (ctx.out.json) {
    ctx.out.jsonValue({ results: results.map((r) => ({ gateway: r.gateway, enabled: r.enabled, until: r.until?.toISOString(), version: r.version })) });
  } else {
    ctx.out.table(
      ['GATEWAY', 'PAIRING', 'UNTIL'],
      results.map((r) => [r.gateway, r.enabled ? 'on' : 'off', formatTime(r.until)]),
      'No gateways are registered: pairing mode was not changed.',
    );
  }
  return results.length === 0 ? EXIT.failure : EXIT.ok;
}

const on: Command = {
  path: ['pairing', 'on'],
  summary: 'Let unknown devices connect and wait for approval, for a limited time',
  flags: {
    ...TARGET_FLAGS,
    duration: { type: 'string', value: 'DURATION', help: 'how long pairing stays on, at most 1h (default 5m)' },
  },
  examples: ['wasmbed pairing on --duration 10m', 'wasmbed pairing on --gateway gw-1'],
  run(ctx) {
    const seconds = ctx.args.value('duration', parseSeconds);
    if (seconds !== undefined && (seconds < 1 || seconds > MAX_WINDOW_SECONDS)) {
      throw new UsageError('--duration: must be from 1s to 1h', ctx.args.command);
    }
    // 0 asks the api for its default window (5 minutes).
    return setPairing(ctx, true, seconds ?? 0);
  },
};

const off: Command = {
  path: ['pairing', 'off'],
  summary: 'Close the pairing window',
  flags: TARGET_FLAGS,
  run: (ctx) => setPairing(ctx, false, 0),
};

const status: Command = {
  path: ['pairing', 'status'],
  summary: 'Show the pairing mode of every gateway',
  async run({ api, out }) {
    const gateways = (await listAllGateways(api())).filter((g) => g.phase !== GatewayPhase.GATEWAY_PHASE_DEREGISTERED);
    if (out.json) {
      return out.jsonValue({
        gateways: gateways.map((g) => ({ gateway: g.name, enabled: g.pairing?.enabled ?? false, until: g.pairing?.until?.toISOString() })),
      });
    }
    out.table(['GATEWAY', 'PHASE', 'PAIRING'], gateways.map((g) => [g.name, gatewayPhaseName(g.phase), pairingText(g)]), 'No gateways.');
  },
};

export const PAIRING_COMMANDS: readonly Command[] = [on, off, status];
