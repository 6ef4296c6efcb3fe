import type { Command } from '../command';
import { formatDuration } from '../output/format';

const rebuild: Command = {
  path: ['admin', 'rebuild-read-models'],
  summary: "Drop the api instance's read models and replay the event logs (admin role; queries answer UNAVAILABLE meanwhile)",
  // A replay of a long log takes a while; --timeout still overrides.
  timeoutMs: 10 * 60_000,
  async run({ api, out }) {
    const r = await api().unary('admin', 'rebuildReadModels', {});
    if (out.json) return out.jsonValue(r);
    out.line(
      `read models rebuilt in ${formatDuration(r.durationMs)}: ${r.eventsReplayed} events replayed; ${r.devices} devices, ${r.gateways} gateways, ${r.applications} applications`,
    );
  },
};

export const ADMIN_COMMANDS: readonly Command[] = [rebuild];
