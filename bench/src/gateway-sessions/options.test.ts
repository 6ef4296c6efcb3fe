import { ConfigError } from '@wasmbed/errors';
import { parseSessionsOptions, SESSIONS_DEFAULTS } from './options';

describe('gateway-sessions options', () => {
  it('defaults to a run of a few minutes: 2,000 sessions with a heartbeat every second', () => {
    expect(parseSessionsOptions([], {})).toEqual({ ...SESSIONS_DEFAULTS, natsUrl: undefined });
    expect(SESSIONS_DEFAULTS).toMatchObject({ sessions: 2_000, heartbeatMs: 1_000 });
  });

  it('scales to the goal of 10,000 sessions', () => {
    expect(parseSessionsOptions(['--sessions', '10000', '--heartbeat-ms', '1000'], {})).toMatchObject({ sessions: 10_000, heartbeatMs: 1_000 });
  });

  it('parses every flag and the NATS url', () => {
    const o = parseSessionsOptions(
      ['--sessions', '500', '--heartbeat-ms', '2000', '--workers', '3', '--connect-concurrency', '16', '--measure-seconds', '4'],
      { WASMBED_NATS_URL: 'nats://127.0.0.1:4222' },
    );
    expect(o).toEqual({ sessions: 500, heartbeatMs: 2000, workers: 3, connectConcurrency: 16, measureSeconds: 4, natsUrl: 'nats://127.0.0.1:4222' });
  });

  it('keeps the heartbeat within the protocol range', () => {
    expect(() => parseSessionsOptions(['--heartbeat-ms', '999'], {})).toThrow(/--heartbeat-ms needs an integer from 1000 to 600000/);
  });

  it('measures at least one heartbeat interval unless told how long', () => {
    expect(parseSessionsOptions(['--sessions', '10000', '--heartbeat-ms', '30000'], {})).toMatchObject({ heartbeatMs: 30_000, measureSeconds: 30 });
    expect(parseSessionsOptions(['--heartbeat-ms', '2500'], {})).toMatchObject({ measureSeconds: SESSIONS_DEFAULTS.measureSeconds });
  });

  it('refuses a measurement shorter than one heartbeat interval', () => {
    expect(() => parseSessionsOptions(['--heartbeat-ms', '10000', '--measure-seconds', '5'], {})).toThrow(ConfigError);
  });

  it('refuses more load generators than sessions', () => {
    expect(() => parseSessionsOptions(['--sessions', '2', '--workers', '3'], {})).toThrow(/--workers must not exceed --sessions/);
  });
});
