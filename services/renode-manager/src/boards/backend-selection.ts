import { NoBackendForBoardError } from '../errors';
import { BACKEND_KINDS, type BackendKind, type BoardSpec, type QemuBinary } from './board-catalogue';

/** What this machine has: the QEMU system emulators and whether `renode` is there. */
export interface InstalledBackends {
  readonly qemu: ReadonlySet<QemuBinary>;
  readonly renode: boolean;
}

/** The backends the catalogue offers for a board, in order of preference (QEMU first: it is what runs here). */
export function backendsOf(board: BoardSpec): BackendKind[] {
  return BACKEND_KINDS.filter((kind) => board[kind] !== null);
}

function installed(board: BoardSpec, kind: BackendKind, have: InstalledBackends): boolean {
  if (kind === 'qemu') return board.qemu !== null && have.qemu.has(board.qemu.binary);
  return board.renode !== null && have.renode;
}

function requirement(board: BoardSpec, kind: BackendKind): string {
  return kind === 'qemu' ? `qemu needs ${board.qemu?.binary} on PATH` : 'renode needs `renode` on PATH';
}

/** The backends that can run `board` on this machine. */
export function runnableBackends(board: BoardSpec, have: InstalledBackends): BackendKind[] {
  return backendsOf(board).filter((kind) => installed(board, kind, have));
}

/**
 * The backend to run `board` with: `wanted` if given and possible, else the first
 * installed one. The error says what would be needed, so an operator knows what to install.
 */
export function chooseBackend(board: BoardSpec, have: InstalledBackends, wanted?: BackendKind): BackendKind {
  const offered = backendsOf(board);
  if (offered.length === 0) throw new NoBackendForBoardError(board.name, board.unsupported ?? 'no backend is known for it');
  if (wanted !== undefined) {
    if (!offered.includes(wanted)) throw new NoBackendForBoardError(board.name, `${wanted} cannot run it; it runs on ${offered.join(' or ')}`);
    if (!installed(board, wanted, have)) throw new NoBackendForBoardError(board.name, requirement(board, wanted));
    return wanted;
  }
  const runnable = runnableBackends(board, have);
  if (runnable.length === 0) throw new NoBackendForBoardError(board.name, offered.map((kind) => requirement(board, kind)).join('; '));
  return runnable[0];
}
