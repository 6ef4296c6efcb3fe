import { renderProgressBar, type RolloutProgress } from './progress-bar';

const progress = (counts: Partial<RolloutProgress['counts']>, over: Partial<RolloutProgress> = {}): RolloutProgress => ({
  application: 'hello',
  revision: 2,
  phase: 'in_progress',
  wave: 1,
  waves: 3,
  counts: { pending: 0, deploying: 0, running: 0, failed: 0, stopped: 0, ...counts },
  ...over,
});

describe('renderProgressBar', () => {
  it('fills the bar with settled devices and shows the wave 1-based', () => {
    const line = renderProgressBar(progress({ running: 4, failed: 1, deploying: 2, pending: 3 }), { width: 10, unicode: false });
    expect(line).toBe('hello rev 2  [#####.....] 5/10 settled  wave 2/3  running 4, failed 1, deploying 2, pending 3  in_progress');
  });

  it('uses block characters on a terminal', () => {
    const line = renderProgressBar(progress({ running: 1, pending: 1 }), { width: 4, unicode: true });
    expect(line).toContain('[██░░] 1/2 settled');
    expect(line).toContain('running 1 · failed 0');
  });

  it('shows a full bar only when every device has settled', () => {
    const almost = renderProgressBar(progress({ running: 99, deploying: 1 }), { width: 10, unicode: false });
    expect(almost).toContain('[#########.] 99/100');
    const done = renderProgressBar(progress({ running: 100 }, { phase: 'completed', wave: 2 }), { width: 10, unicode: false });
    expect(done).toContain('[##########] 100/100 settled  wave 3/3');
    expect(done.endsWith('completed')).toBe(true);
  });

  it('shows a rollout without targets as done, and lists stopped devices only when there are some', () => {
    const empty = renderProgressBar(progress({}, { waves: 0, wave: 0, phase: 'completed' }), { width: 4, unicode: false });
    expect(empty).toBe('hello rev 2  [####] 0/0 settled  no waves  running 0, failed 0, deploying 0, pending 0  completed');
    expect(renderProgressBar(progress({ stopped: 2 }), { width: 4, unicode: false })).toContain('stopped 2');
  });
});
