import type { OutputStream } from '../io';
import type { RolloutProgress } from './progress-bar';
import { ProgressDisplay } from './progress-display';

function stream(isTTY: boolean): OutputStream & { text: () => string } {
  let text = '';
  return { isTTY, write: (s: string) => (text += s), text: () => text };
}

const progress = (running: number): RolloutProgress => ({
  application: 'hello',
  revision: 1,
  phase: 'in_progress',
  wave: 0,
  waves: 1,
  counts: { pending: 2 - running, deploying: 0, running, failed: 0, stopped: 0 },
});

describe('ProgressDisplay', () => {
  it('redraws one line in place on a terminal and ends it before a message', () => {
    const out = stream(true);
    const display = new ProgressDisplay(out, false);
    display.progress(progress(0));
    display.progress(progress(1));
    display.message('rollout of hello revision 1 completed');
    const text = out.text();
    expect(text.split('\r\x1b[2K')).toHaveLength(3);
    expect(text).toContain('█');
    expect(text.endsWith('\nrollout of hello revision 1 completed\n')).toBe(true);
  });

  it('prints a plain line per change, and nothing for a repeat, when not a terminal', () => {
    const out = stream(false);
    const display = new ProgressDisplay(out, false);
    display.progress(progress(0));
    display.progress(progress(0));
    display.progress(progress(2));
    const lines = out.text().trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain('[########################] 2/2 settled');
    expect(out.text()).not.toContain('\x1b');
  });

  it('prints one JSON object per change with --json', () => {
    const out = stream(true);
    const display = new ProgressDisplay(out, true);
    display.progress(progress(1));
    display.message('done', { done: true, ok: true });
    const objects = out.text().trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(objects).toEqual([expect.objectContaining({ application: 'hello', phase: 'in_progress', counts: expect.objectContaining({ running: 1 }) }), { message: 'done', done: true, ok: true }]);
  });
});
