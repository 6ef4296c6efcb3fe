import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/** Resident set size in KiB from the text of /proc/<pid>/status. */
export function parseVmRssKiB(status: string): number {
  const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status);
  if (match === null) throw new Error('no VmRSS line in /proc status text');
  return Number(match[1]);
}

/**
 * Fields of /proc/<pid>/stat after the command name. The name is in parentheses
 * and may itself hold spaces and parentheses, so the split starts after the last ')'.
 */
function statFields(stat: string): string[] {
  const end = stat.lastIndexOf(')');
  if (end < 0) throw new Error('malformed /proc stat text');
  return stat.slice(end + 2).trim().split(/\s+/);
}

/** utime + stime in clock ticks (fields 14 and 15 of proc(5)). */
export function parseCpuTicks(stat: string): number {
  const fields = statFields(stat);
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  if (!Number.isFinite(utime) || !Number.isFinite(stime)) throw new Error('malformed /proc stat text');
  return utime + stime;
}

/** Parent pid (field 4 of proc(5)). */
export function parseParentPid(stat: string): number {
  return Number(statFields(stat)[1]);
}

let ticksPerSecond: number | undefined;
function clockTicks(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

export interface ProcessSample {
  readonly rssKiB: number;
  /** CPU time (user + system) consumed since the process started. */
  readonly cpuMs: number;
  /** performance.now() of this process when sampled. */
  readonly atMs: number;
}

export function sampleProcess(pid: number): ProcessSample {
  const rssKiB = parseVmRssKiB(readFileSync(`/proc/${pid}/status`, 'utf8'));
  const cpuMs = (parseCpuTicks(readFileSync(`/proc/${pid}/stat`, 'utf8')) * 1000) / clockTicks();
  return { rssKiB, cpuMs, atMs: performance.now() };
}

/** CPU used between two samples, in percent of one core. */
export function cpuPercent(before: ProcessSample, after: ProcessSample): number {
  const wall = after.atMs - before.atMs;
  return wall > 0 ? ((after.cpuMs - before.cpuMs) / wall) * 100 : Number.NaN;
}

/**
 * The pid of a child of `parentPid` whose command line contains every one of
 * `args` (e.g. the nats-server this bench started, which @wasmbed/testing does not
 * expose by pid). Undefined when there is none.
 */
export function findChildPid(parentPid: number, args: readonly string[]): number | undefined {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (parseParentPid(readFileSync(`/proc/${entry}/stat`, 'utf8')) !== parentPid) continue;
      const argv = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if (args.every((a) => argv.includes(a))) return Number(entry);
    } catch {
      // the process ended while we looked
    }
  }
  return undefined;
}

/** sampleProcess for a process that may not be ours to watch (e.g. an external NATS): undefined without a pid. */
export function sampleIfKnown(pid: number | undefined): ProcessSample | undefined {
  return pid === undefined ? undefined : sampleProcess(pid);
}

/** CPU in percent of one core between two optional samples; undefined when either is missing. */
export function cpuPercentIfKnown(before: ProcessSample | undefined, after: ProcessSample | undefined): number | undefined {
  return before !== undefined && after !== undefined ? cpuPercent(before, after) : undefined;
}

/** The hard limit on open files from the text of /proc/<pid>/limits; undefined when unlimited or absent. */
export function parseOpenFilesLimit(limits: string): number | undefined {
  const match = /^Max open files\s+\S+\s+(\d+)/m.exec(limits);
  return match === null ? undefined : Number(match[1]);
}

/** This process' hard limit on open files (children inherit it): every session is a descriptor in the server. */
export function openFilesLimit(): number | undefined {
  try {
    return parseOpenFilesLimit(readFileSync('/proc/self/limits', 'utf8'));
  } catch {
    return undefined;
  }
}
