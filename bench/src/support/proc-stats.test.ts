import { cpuPercent, cpuPercentIfKnown, parseCpuTicks, parseOpenFilesLimit, parseParentPid, parseVmRssKiB, sampleIfKnown } from './proc-stats';

// A /proc/<pid>/stat line whose command name holds spaces and a ')' (proc(5) fields 1-17).
const STAT = '4242 (node (gw) x) S 4100 4242 4100 0 -1 4194560 9000 0 0 0 1234 567 0 0 20';

describe('proc stats parsing', () => {
  it('reads VmRSS in KiB', () => {
    expect(parseVmRssKiB('Name:\tnode\nVmPeak:\t  900000 kB\nVmRSS:\t  123456 kB\nThreads:\t11\n')).toBe(123456);
    expect(() => parseVmRssKiB('Name:\tzombie\n')).toThrow(/VmRSS/);
  });

  it('reads utime + stime and the parent after a command name with spaces and parentheses', () => {
    expect(parseCpuTicks(STAT)).toBe(1234 + 567);
    expect(parseParentPid(STAT)).toBe(4100);
    expect(() => parseCpuTicks('garbage')).toThrow(/malformed/);
  });

  it('computes CPU as a percentage of one core', () => {
    expect(cpuPercent({ rssKiB: 0, cpuMs: 100, atMs: 1_000 }, { rssKiB: 0, cpuMs: 350, atMs: 1_500 })).toBe(50);
    expect(cpuPercentIfKnown(undefined, { rssKiB: 0, cpuMs: 1, atMs: 1 })).toBeUndefined();
    expect(sampleIfKnown(undefined)).toBeUndefined();
  });

  it('reads the hard limit on open files', () => {
    const limits = [
      'Limit                     Soft Limit           Hard Limit           Units',
      'Max processes             unlimited            unlimited            processes',
      'Max open files            1024                 20000                files',
    ].join('\n');
    expect(parseOpenFilesLimit(limits)).toBe(20000);
    expect(parseOpenFilesLimit('Max open files            unlimited            unlimited            files')).toBeUndefined();
  });
});
