import { DEFAULT_RESTART_POLICY, restartPolicyFromEnv } from './restart-policy';

describe('restartPolicyFromEnv', () => {
  it('defaults when the manifest says nothing', () => {
    expect(restartPolicyFromEnv({ greeting: 'hi' })).toEqual({ policy: DEFAULT_RESTART_POLICY });
  });

  it('reads autoRestart and maxRestarts', () => {
    expect(restartPolicyFromEnv({ autoRestart: 'true' })).toEqual({ policy: { ...DEFAULT_RESTART_POLICY, autoRestart: true } });
    expect(restartPolicyFromEnv({ maxRestarts: '0', autoRestart: 'false' })).toEqual({ policy: { ...DEFAULT_RESTART_POLICY, maxRestarts: 0 } });
    const custom = { ...DEFAULT_RESTART_POLICY, autoRestart: true, maxRestarts: 9 };
    expect(restartPolicyFromEnv({ maxRestarts: '2' }, custom)).toEqual({ policy: { ...custom, maxRestarts: 2 } });
  });

  it('refuses malformed values instead of guessing', () => {
    const malformed: Record<string, string>[] = [{ autoRestart: 'yes' }, { autoRestart: '' }, { maxRestarts: '-1' }, { maxRestarts: '1.5' }, { maxRestarts: '99999999' }];
    for (const env of malformed) {
      expect(restartPolicyFromEnv(env)).toEqual({ problem: expect.any(String) });
    }
  });
});
