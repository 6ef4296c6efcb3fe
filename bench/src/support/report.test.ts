import { formatReport, formatTable, num, p50p99, percentOf } from './report';

describe('bench report', () => {
  it('aligns labels left and figures right, each column as wide as its widest cell', () => {
    const table = formatTable(
      ['', 'bare mTLS handshake', 'gateway'],
      [
        ['per second', '200.2', '71.9'],
        ['done / failed', '500 / 0', '500 / 0'],
      ],
    );
    expect(table.split('\n')).toEqual([
      '                bare mTLS handshake   gateway',
      'per second                    200.2      71.9',
      'done / failed               500 / 0   500 / 0',
    ]);
  });

  it('prints "-" where there is no figure', () => {
    expect(num(undefined)).toBe('-');
    expect(num(Number.NaN)).toBe('-');
    expect(num(12.345, 1)).toBe('12.3');
    expect(p50p99({ count: 0, p50: Number.NaN, p99: Number.NaN, max: Number.NaN, mean: Number.NaN })).toBe('-');
    expect(p50p99({ count: 3, p50: 1, p99: 2.5, max: 3, mean: 2 })).toBe('1.00 / 2.50');
  });

  it('gives our figure as a percentage of the baseline', () => {
    expect(percentOf(50, 200)).toBe('25.0%');
    expect(percentOf(1, 0)).toBe('-');
  });

  it('lists failures only when there are some, then the notes', () => {
    const base = { columns: ['', 'a', 'b'] as const, rows: [['x', '1', '2'] as const], notes: ['read me'] };
    expect(formatReport({ ...base, failures: { baseline: [], gateway: [] } })).toBe(['', '    a   b', 'x   1   2', '', 'read me'].join('\n'));
    expect(formatReport({ ...base, failures: { gateway: ['Bye: superseded'] } })).toContain('failures (first few):\n  gateway: Bye: superseded\n');
  });
});
