import { execFile } from 'node:child_process';
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { delimiter, isAbsolute, join } from 'node:path';
import { promisify } from 'node:util';
import type { InstalledBackends } from '../boards/backend-selection';
import type { BackendKind, QemuBinary } from '../boards/board-catalogue';
import { BOARDS } from '../boards/board-catalogue';

const run = promisify(execFile);

export interface DetectedTool {
  readonly path: string;
  /** First line of `--version`. */
  readonly version: string;
}

/** What was found at startup, for choosing backends and for /status. */
export interface DetectedBackends extends InstalledBackends {
  readonly tools: Readonly<Record<string, DetectedTool | null>>;
  /** Absolute paths of what is installed, by the name the catalogue uses. */
  path(name: string): string;
}

export interface DetectOptions {
  readonly enabled: readonly BackendKind[];
  readonly renodeBinary: string;
  /** PATH to search (default the process's). */
  readonly searchPath?: string;
  readonly versionTimeoutMs?: number;
}

async function isExecutable(file: string): Promise<boolean> {
  try {
    await access(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Where `name` is: itself when it is a path, else the first executable of that name on the search path. */
export async function findExecutable(name: string, searchPath: string): Promise<string | undefined> {
  if (name.includes('/')) return isAbsolute(name) && (await isExecutable(name)) ? name : undefined;
  for (const dir of searchPath.split(delimiter).filter((d) => isAbsolute(d))) {
    const candidate = join(dir, name);
    if (await isExecutable(candidate)) return candidate;
  }
  return undefined;
}

/** An executable that answers `--version`; a binary that cannot even do that is not counted as installed. */
async function probe(name: string, searchPath: string, timeoutMs: number): Promise<DetectedTool | null> {
  const path = await findExecutable(name, searchPath);
  if (path === undefined) return null;
  try {
    const { stdout } = await run(path, ['--version'], { timeout: timeoutMs });
    return { path, version: stdout.split('\n').find((line) => line.trim() !== '')?.trim() ?? '' };
  } catch {
    return null;
  }
}

/** Looks for the QEMU system emulators the catalogue uses and for Renode, among the enabled backends. */
export async function detectBackends(options: DetectOptions): Promise<DetectedBackends> {
  const searchPath = options.searchPath ?? process.env.PATH ?? '';
  const timeoutMs = options.versionTimeoutMs ?? 15_000;
  const qemuBinaries = [...new Set(BOARDS.flatMap((b) => (b.qemu === null ? [] : [b.qemu.binary])))];
  const tools: Record<string, DetectedTool | null> = {};
  if (options.enabled.includes('qemu')) {
    for (const binary of qemuBinaries) tools[binary] = await probe(binary, searchPath, timeoutMs);
  }
  if (options.enabled.includes('renode')) tools.renode = await probe(options.renodeBinary, searchPath, timeoutMs);
  const qemu = new Set(qemuBinaries.filter((b) => tools[b] != null)) as Set<QemuBinary>;
  return {
    qemu,
    renode: tools.renode != null,
    tools,
    path(name) {
      const tool = tools[name];
      if (tool == null) throw new Error(`${name} was not detected at startup`);
      return tool.path;
    },
  };
}
