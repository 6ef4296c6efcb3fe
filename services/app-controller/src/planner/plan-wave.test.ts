import { APP, AppHistory, SETTINGS, SHA_1, at, attempt, attested, commands, deploys, device, memoKey, reports, specInput, viewOf } from '../test-support/views';
import { plan } from './plan';

/** Revision 1 deployed to d1..d3 at 1 s: wave 0 = [d1] (canary), wave 1 = [d2, d3]. */
const deployed = () => AppHistory.created().run('DeployApplication', { targets: ['d1', 'd2', 'd3'] }, at(1));
/** …and d1's deployment recorded started at 2 s. */
const d1Started = () => deployed().run('RecordDeviceDeploymentStarted', { device: 'd1', revision: 1 }, at(2));
const scope = 'rollout:1';

describe('a wave device not deployed yet', () => {
  it('is deployed (start recorded first), only in the current wave', () => {
    const actions = plan(viewOf({ apps: [deployed()], attested: { d1: attested(), d2: attested() } }), at(1), SETTINGS);
    expect(actions).toEqual([{ kind: 'deploy', appId: APP, device: 'd1', rollout: 1, revision: 1, recordStarted: true, purpose: 'rollout' }]);
  });

  it('is deployed even while offline (the reply says so, and the back-off applies)', () => {
    expect(deploys(plan(viewOf({ apps: [deployed()] }), at(1), SETTINGS))).toHaveLength(1);
  });

  it('is not deployed twice: an attempt in flight (a burst of events) gives no new action', () => {
    const view = viewOf({ apps: [deployed()], attempts: { 'deploy/d1': attempt('deploy', scope, { inFlight: true, sends: 0, lastSentAt: null }) } });
    expect(plan(view, at(1), SETTINGS)).toEqual([]);
  });

  it('is recorded Running without a Deploy when it already runs the module', () => {
    const view = viewOf({ apps: [deployed()], attested: { d1: attested([[APP, 1, SHA_1, 'running', at(0)]]) } });
    expect(plan(view, at(1), SETTINGS)).toEqual([
      expect.objectContaining({ kind: 'command', command: { type: 'RecordDeviceRunning', data: { applicationId: APP, device: 'd1', revision: 1, sha256: SHA_1 } } }),
    ]);
  });

  it('is not deployed while the rollout is paused', () => {
    const paused = deployed().run('PauseRollout', {}, at(1));
    expect(plan(viewOf({ apps: [paused], attested: { d1: attested() } }), at(2), SETTINGS)).toEqual([]);
  });

  it('is recorded Failed at once when it is revoked', () => {
    const view = viewOf({ apps: [deployed()], devices: [device('d1', { status: 'Revoked' }), device('d2'), device('d3')] });
    expect(commands(plan(view, at(1), SETTINGS))).toEqual([
      { type: 'RecordDeviceFailed', data: { applicationId: APP, device: 'd1', revision: 1, reason: 'the device is revoked' } },
    ]);
  });

  it('is recorded Failed when the gateway refused the deploy for good before the start could be recorded', () => {
    const refused = attempt('deploy', scope, { lastReply: 'rejected', lastError: 'invalid_manifest: bad entry point' });
    expect(commands(plan(viewOf({ apps: [deployed()], attempts: { 'deploy/d1': refused } }), at(1), SETTINGS))).toEqual([
      expect.objectContaining({ type: 'RecordDeviceFailed', data: expect.objectContaining({ reason: 'deploy refused: invalid_manifest: bad entry point' }) }),
    ]);
  });
});

describe('a deploying device', () => {
  it('is recorded Running on a DeployResult ok with the module hash', () => {
    const view = viewOf({ apps: [d1Started()], reports: reports('d1', { deploy: { revision: 1, ok: true, sha256: SHA_1, error: null, receivedAt: at(3) } }) });
    expect(commands(plan(view, at(3), SETTINGS))).toEqual([
      { type: 'RecordDeviceRunning', data: { applicationId: APP, device: 'd1', revision: 1, sha256: SHA_1 } },
    ]);
  });

  it("is recorded Failed with the device's reason on a DeployResult not ok", () => {
    const report = { revision: 1, ok: false, sha256: null, error: { code: 'limit_exceeded', message: 'too little memory' }, receivedAt: at(3) };
    expect(commands(plan(viewOf({ apps: [d1Started()], reports: reports('d1', { deploy: report }) }), at(3), SETTINGS))).toEqual([
      { type: 'RecordDeviceFailed', data: { applicationId: APP, device: 'd1', revision: 1, reason: 'deploy failed on the device: limit_exceeded: too little memory' } },
    ]);
  });

  it('is recorded Failed when the device runs another module than the revision names', () => {
    const report = { revision: 1, ok: true, sha256: 'ff'.repeat(32), error: null, receivedAt: at(3) };
    expect(commands(plan(viewOf({ apps: [d1Started()], reports: reports('d1', { deploy: report }) }), at(3), SETTINGS))[0]).toMatchObject({
      type: 'RecordDeviceFailed',
      data: { reason: `the device runs module ${'ff'.repeat(32)} instead of ${SHA_1}` },
    });
  });

  it('ignores reports older than its start (they are about an earlier deployment)', () => {
    const stale = { revision: 1, ok: false, sha256: null, error: { code: 'trap', message: 'x' }, receivedAt: at(1) };
    expect(plan(viewOf({ apps: [d1Started()], reports: reports('d1', { deploy: stale }) }), at(3), SETTINGS)).toEqual([]);
  });

  it('counts a failed app as a failure only once its restart policy is spent', () => {
    const restarting = specInput({ config: { memoryLimitBytes: 65536, cpuTimeLimitMs: 0, autoRestart: true, maxRestarts: 2 } });
    const history = () => AppHistory.created(restarting).run('DeployApplication', { targets: ['d1'] }, at(1)).run('RecordDeviceDeploymentStarted', { device: 'd1', revision: 1 }, at(2));
    const failedAfter = (restarts: number) =>
      viewOf({ apps: [history()], reports: reports('d1', { status: { revision: 1, state: 'failed', restarts, error: { code: 'trap', message: 'boom' }, receivedAt: at(3) } }) });
    expect(commands(plan(failedAfter(1), at(3), SETTINGS))).toEqual([]);
    expect(commands(plan(failedAfter(2), at(3), SETTINGS))).toEqual([
      expect.objectContaining({ type: 'RecordDeviceFailed', data: expect.objectContaining({ reason: 'app failed after 2 restarts: trap: boom' }) }),
    ]);
  });

  it('takes the latest report: a crash right after the DeployResult ok makes it Failed', () => {
    const view = viewOf({
      apps: [d1Started()],
      reports: reports('d1', {
        deploy: { revision: 1, ok: true, sha256: SHA_1, error: null, receivedAt: at(3) },
        status: { revision: 1, state: 'failed', restarts: 0, error: { code: 'trap', message: 'unreachable' }, receivedAt: at(3.01) },
      }),
    });
    expect(commands(plan(view, at(3.02), SETTINGS))).toEqual([expect.objectContaining({ type: 'RecordDeviceFailed' })]);
  });

  describe('after a controller restart (no attempt in memory)', () => {
    it('is not sent the Deploy again before the retry back-off since its start', () => {
      expect(plan(viewOf({ apps: [d1Started()], attested: { d1: attested() } }), at(3.9), SETTINGS)).toEqual([]);
    });

    it('is sent it again once the back-off since its start has passed, without recording a second start', () => {
      expect(plan(viewOf({ apps: [d1Started()], attested: { d1: attested() } }), at(4), SETTINGS)).toEqual([
        { kind: 'deploy', appId: APP, device: 'd1', rollout: 1, revision: 1, recordStarted: false, purpose: 'retry' },
      ]);
    });

    it('is recorded Running, not redeployed, when the liveness bucket shows it running the module', () => {
      const view = viewOf({ apps: [d1Started()], attested: { d1: attested([[APP, 1, SHA_1, 'running', at(10)]]) } });
      expect(plan(view, at(10), SETTINGS)).toEqual([expect.objectContaining({ kind: 'command', key: 'RecordDeviceRunning/r1/d1' })]);
    });

    it('does not take a failed run shown by the liveness bucket for this deployment (it may predate the Deploy)', () => {
      const view = viewOf({ apps: [d1Started()], attested: { d1: attested([[APP, 1, SHA_1, 'failed', at(10)]]) } });
      expect(plan(view, at(10), SETTINGS)).toEqual([expect.objectContaining({ kind: 'deploy', recordStarted: false })]);
    });
  });

  it('takes a failed run shown by the liveness bucket after this process sent the Deploy', () => {
    const sent = attempt('deploy', scope, { startedAt: at(2), lastSentAt: at(2) });
    const view = viewOf({ apps: [d1Started()], attempts: { 'deploy/d1': sent }, attested: { d1: attested([[APP, 1, SHA_1, 'failed', at(3)]]) } });
    expect(commands(plan(view, at(3), SETTINGS))).toEqual([expect.objectContaining({ type: 'RecordDeviceFailed' })]);
  });

  it('is resent with an exponential back-off (2 s, 4 s, 8 s … 60 s) when no outcome came', () => {
    const after = (sends: number) => viewOf({ apps: [d1Started()], attested: { d1: attested() }, attempts: { 'deploy/d1': attempt('deploy', scope, { startedAt: at(2), sends, lastSentAt: at(2), lastReply: 'transport' }) } });
    expect(deploys(plan(after(1), at(3.99), SETTINGS))).toEqual([]);
    expect(deploys(plan(after(1), at(4), SETTINGS))).toHaveLength(1);
    expect(deploys(plan(after(3), at(9.99), SETTINGS))).toEqual([]);
    expect(deploys(plan(after(3), at(10), SETTINGS))).toHaveLength(1);
    expect(deploys(plan(after(9), at(61.99), SETTINGS))).toEqual([]);
    expect(deploys(plan(after(9), at(62), SETTINGS))[0]).toMatchObject({ purpose: 'retry', recordStarted: false });
  });

  it('treats a busy gateway (another deploy to the device) as a reason to wait, not a failure', () => {
    const busy = attempt('deploy', scope, { startedAt: at(2), lastSentAt: at(2), lastReply: 'busy', lastError: 'failed_precondition: … still in progress' });
    const view = viewOf({ apps: [d1Started()], attested: { d1: attested() }, attempts: { 'deploy/d1': busy } });
    expect(plan(view, at(3), SETTINGS)).toEqual([]);
    expect(plan(view, at(4), SETTINGS)).toEqual([expect.objectContaining({ kind: 'deploy', purpose: 'retry' })]);
  });

  it('is resent at once when it reconnected since the last send (its transfer was lost)', () => {
    const sent = attempt('deploy', scope, { startedAt: at(2), lastSentAt: at(2), sessionAtSend: null, lastReply: 'transport' });
    const view = viewOf({ apps: [d1Started()], attested: { d1: attested([], { sessionId: 'session-2' }) }, attempts: { 'deploy/d1': sent } });
    expect(deploys(plan(view, at(2.5), SETTINGS))).toHaveLength(1);
  });

  it('is left alone while it installs the module (state starting)', () => {
    const view = viewOf({ apps: [d1Started()], attested: { d1: attested([[APP, 1, SHA_1, 'starting', at(3)]]) } });
    expect(plan(view, at(30), SETTINGS)).toEqual([]);
  });

  it('is recorded Failed when the deploy times out, with the last transport problem', () => {
    const sent = attempt('deploy', scope, { startedAt: at(2), lastSentAt: at(100), sends: 7, lastReply: 'transport', lastError: "unavailable: device 'd1' is offline" });
    const view = viewOf({ apps: [d1Started()], attempts: { 'deploy/d1': sent } });
    expect(commands(plan(view, at(121.99), SETTINGS))).toEqual([]);
    expect(commands(plan(view, at(122), SETTINGS))).toEqual([
      {
        type: 'RecordDeviceFailed',
        data: { applicationId: APP, device: 'd1', revision: 1, reason: "deploy timed out: no outcome within 120 s (unavailable: device 'd1' is offline)" },
      },
    ]);
  });
});

describe('the health gate', () => {
  /** d1 (wave 0) recorded Running at 5 s: the 60 s gate ends at 65 s. */
  const d1Running = () => d1Started().run('RecordDeviceRunning', { device: 'd1', revision: 1, sha256: SHA_1 }, at(5));
  const healthy = { d1: attested([[APP, 1, SHA_1, 'running', at(4)]]) };

  it('holds AdvanceWave until healthGateSeconds after the last outcome, then advances', () => {
    expect(plan(viewOf({ apps: [d1Running()], attested: healthy }), at(64.99), SETTINGS)).toEqual([]);
    expect(commands(plan(viewOf({ apps: [d1Running()], attested: healthy }), at(65), SETTINGS))).toEqual([
      { type: 'AdvanceWave', data: { applicationId: APP, rollout: 1, waveIndex: 0 } },
    ]);
  });

  it('records a device of the wave that fails during the gate, and does not advance in that pass', () => {
    const crashed = { d1: attested([[APP, 1, SHA_1, 'failed', at(30)]]) };
    expect(commands(plan(viewOf({ apps: [d1Running()], attested: crashed }), at(65), SETTINGS))).toEqual([
      { type: 'RecordDeviceFailed', data: { applicationId: APP, device: 'd1', revision: 1, reason: 'app failed: trap: unreachable' } },
    ]);
  });

  it('holds the gate while a connected device of the wave does not hold the module', () => {
    const lost = { d1: attested([], { sessionId: 'session-2', sessionSeenAt: at(64) }) };
    expect(plan(viewOf({ apps: [d1Running()], attested: lost }), at(65), SETTINGS)).toEqual([]);
  });

  it('does not advance before every device of the wave has an outcome', () => {
    const wave1 = d1Running()
      .run('AdvanceWave', { rollout: 1, waveIndex: 0 }, at(65))
      .run('RecordDeviceDeploymentStarted', { device: 'd2', revision: 1 }, at(66))
      .run('RecordDeviceDeploymentStarted', { device: 'd3', revision: 1 }, at(66))
      .run('RecordDeviceRunning', { device: 'd2', revision: 1, sha256: SHA_1 }, at(67));
    const view = viewOf({ apps: [wave1], attested: { ...healthy, d2: attested([[APP, 1, SHA_1, 'running', at(67)]]), d3: attested() } });
    expect(commands(plan(view, at(200), SETTINGS)).filter((c) => c.type === 'AdvanceWave')).toEqual([]);
  });

  it('does not ask AdvanceWave again while it runs, nor after it applied until the view has its events', () => {
    const view = (memo: Parameters<typeof viewOf>[0]['commands']) => viewOf({ apps: [d1Running()], attested: healthy, commands: memo });
    const version = d1Running().entry().version;
    const base = { appId: APP, plannedAtVersion: version, resultVersion: version, finishedAt: at(65), misses: 0 };
    expect(plan(view({ [memoKey('AdvanceWave/r1/w0')]: { ...base, inFlight: true, outcome: null } }), at(65), SETTINGS)).toEqual([]);
    const applied = { ...base, inFlight: false, outcome: 'applied' as const, resultVersion: version + 1 };
    expect(plan(view({ [memoKey('AdvanceWave/r1/w0')]: applied }), at(65), SETTINGS)).toEqual([]);
  });

  it('asks again after the back-off when the domain said the wave was not ready', () => {
    const version = d1Running().entry().version;
    const refused = { appId: APP, inFlight: false, outcome: 'refused' as const, plannedAtVersion: version, resultVersion: version, finishedAt: at(65), misses: 1 };
    const view = viewOf({ apps: [d1Running()], attested: healthy, commands: { [memoKey('AdvanceWave/r1/w0')]: refused } });
    expect(plan(view, at(66), SETTINGS)).toEqual([]);
    expect(commands(plan(view, at(67), SETTINGS))).toEqual([expect.objectContaining({ type: 'AdvanceWave' })]);
  });
});
