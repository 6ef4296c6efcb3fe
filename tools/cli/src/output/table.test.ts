import { formatBytes, formatDuration, formatLabels, formatTime } from './format';
import { renderFields, renderTable } from './table';

describe('renderTable', () => {
  it('aligns columns three spaces apart without trailing blanks', () => {
    const text = renderTable(
      ['NAME', 'PHASE', 'LABELS'],
      [
        ['dev-1', 'connected', 'env=prod'],
        ['device-long-name', 'pending', '-'],
      ],
    );
    expect(text).toBe(
      [
        'NAME               PHASE       LABELS',
        'dev-1              connected   env=prod',
        'device-long-name   pending     -',
        '',
      ].join('\n'),
    );
  });

  it('does not pad an empty last column', () => {
    expect(renderTable(['A', 'B'], [['x', '']])).toBe('A   B\nx\n');
  });
});

describe('renderFields', () => {
  it('aligns values after the longest label', () => {
    expect(renderFields([['Name', 'dev-1'], ['Public key', 'ab']])).toBe('Name:         dev-1\nPublic key:   ab\n');
  });
});

describe('formats', () => {
  it('durations use the largest exact units', () => {
    expect(formatDuration(5_400_000)).toBe('1h30m');
    expect(formatDuration(15_000)).toBe('15s');
    expect(formatDuration(1_500)).toBe('1500ms');
    expect(formatDuration(0)).toBe('0s');
  });

  it('bytes use binary units', () => {
    expect(formatBytes(830)).toBe('830 B');
    expect(formatBytes(262_144)).toBe('256 KiB');
    expect(formatBytes(1_572_864)).toBe('1.5 MiB');
  });

  it('times are UTC to the second; labels sorted', () => {
    expect(formatTime(new Date('2026-11-23T13:16:08.123Z'))).toBe('2026-11-23 13:16:08Z');
    expect(formatTime(undefined)).toBe('-');
    expect(formatLabels({ site: 'lab', env: 'prod' })).toBe('env=prod,site=lab');
    expect(formatLabels({})).toBe('-');
  });
});
