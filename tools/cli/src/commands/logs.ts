import { DeviceLogLine, LogLevel } from '@wasmbed/proto';
import { parseCount } from '../args/values';
import type { Command } from '../command';
import { enumShortName } from '../enums';
import { UsageError } from '../errors';

/** The api's cap on stored lines per request. */
const MAX_TAIL = 10_000;

/** "2026-11-23T13:16:08.123Z dev-1 hello INFO message" — device time when known, else arrival. */
export function formatLogLine(line: DeviceLogLine): string {
  const at = (line.deviceTime ?? line.receivedAt)?.toISOString() ?? '-';
  const level = enumShortName(LogLevel, 'LOG_LEVEL_', line.level).toUpperCase().padEnd(5);
  return `${at} ${line.deviceName || '-'} ${line.application || '-'} ${level} ${line.message}`;
}

const logs: Command = {
  path: ['logs'],
  summary: 'Print application log lines reported by devices; -f keeps following new ones',
  flags: {
    device: { type: 'string', value: 'NAME', help: 'only this device' },
    app: { type: 'string', value: 'NAME', help: 'only this application' },
    tail: { type: 'string', value: 'N', help: `stored lines to print first, at most ${MAX_TAIL} (default 100)` },
    follow: { type: 'boolean', short: 'f', help: 'keep printing new lines until interrupted (Ctrl-C)' },
  },
  examples: ['wasmbed logs --app hello --tail 20 -f', 'wasmbed logs --device sim-001 --json'],
  async run({ args, api, out }) {
    const tail = args.value('tail', parseCount) ?? 100;
    if (tail > MAX_TAIL) throw new UsageError(`--tail: at most ${MAX_TAIL}`, args.command);
    const stream = api().stream('devices', 'streamDeviceLogs', {
      deviceName: args.string('device') ?? '',
      application: args.string('app') ?? '',
      tail,
      follow: args.bool('follow'),
    });
    for await (const line of stream) {
      if (out.json) out.jsonLine(DeviceLogLine.toJSON(line));
      else out.line(formatLogLine(line));
    }
  },
};

export const LOGS_COMMANDS: readonly Command[] = [logs];
