import { ValidationError } from '@wasmbed/errors';
import { isPairingModeActive, MAX_PAIRING_SECONDS } from '@wasmbed/domain';
import { z } from 'zod';
import type { DeviceSession, SessionSummary } from './device-session';
import type { FleetCommands } from './fleet-commands';
import type { FleetDirectory } from './fleet-directory';
import type { AdminRoute } from './http-server';

const pairingRequest = z
  .object({
    enabled: z.boolean(),
    durationSeconds: z.number().int().min(1).max(MAX_PAIRING_SECONDS).optional(),
  })
  .strict();

export interface AdminDeps {
  readonly gatewayId: string;
  readonly commands: FleetCommands;
  readonly directory: FleetDirectory;
  readonly sessions: () => readonly DeviceSession[];
  readonly clock: () => number;
}

export interface PairingStatus {
  readonly gatewayId: string;
  readonly active: boolean;
  readonly until: string | null;
}

/**
 * POST /admin/pairing opens (or closes) this gateway's pairing window through the
 * event log, as the caller; GET /admin/sessions lists the open sessions.
 */
export function adminRoutes(deps: AdminDeps): AdminRoute[] {
  const pairingStatus = (): PairingStatus => {
    const state = deps.directory.gatewayState();
    const active = isPairingModeActive(state, new Date(deps.clock()).toISOString());
    return { gatewayId: deps.gatewayId, active, until: active && state.status !== 'Initial' ? state.pairingUntil : null };
  };
  return [
    {
      method: 'POST',
      path: '/admin/pairing',
      role: 'operator',
      async handle(principal, body) {
        const parsed = pairingRequest.safeParse(body);
        if (!parsed.success) {
          const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`);
          throw new ValidationError(`invalid pairing request: ${issues.join('; ')}`, issues);
        }
        const { enabled, durationSeconds } = parsed.data;
        const result = await deps.commands.gateway('SetPairingMode', durationSeconds === undefined ? { enabled } : { enabled, durationSeconds }, principal.subject);
        const last = result.events.at(-1);
        // Enrollments right after this reply must already see the window.
        if (last !== undefined) await deps.directory.waitForPosition(last.position, 5_000);
        return pairingStatus();
      },
    },
    { method: 'GET', path: '/admin/pairing', role: 'viewer', handle: async () => pairingStatus() },
    {
      method: 'GET',
      path: '/admin/sessions',
      role: 'viewer',
      handle: async (): Promise<{ sessions: SessionSummary[] }> => ({
        sessions: deps
          .sessions()
          .map((s) => s.summary())
          .sort((a, b) => (a.connectedAt < b.connectedAt ? -1 : a.connectedAt > b.connectedAt ? 1 : 0)),
      }),
    },
  ];
}
