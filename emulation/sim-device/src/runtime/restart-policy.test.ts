import { DEFAULT_RESTART_POLICY, restartPolicyOf } from './restart-policy';

describe('restartPolicyOf', () => {
  it('never restarts a manifest without a restart policy', () => {
    expect(restartPolicyOf({})).toEqual({ ...DEFAULT_RESTART_POLICY, autoRestart: false });
    expect(restartPolicyOf({}, { ...DEFAULT_RESTART_POLICY, autoRestart: true })).toEqual({ ...DEFAULT_RESTART_POLICY, autoRestart: false });
  });

  it('takes autoRestart and maxRestarts from the manifest, the backoff from the device', () => {
    const backoff = { initialMs: 5, maxMs: 10, multiplier: 2, resetAfterMs: 100 };
    expect(restartPolicyOf({ restart: { autoRestart: true, maxRestarts: 9 } }, { ...DEFAULT_RESTART_POLICY, backoff })).toEqual({
      autoRestart: true,
      maxRestarts: 9,
      backoff,
    });
    expect(restartPolicyOf({ restart: { autoRestart: false, maxRestarts: 0 } })).toEqual({ ...DEFAULT_RESTART_POLICY, maxRestarts: 0 });
  });
});
