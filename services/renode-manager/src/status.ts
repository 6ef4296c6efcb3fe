import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { DetectedBackends } from './backends/detect-backends';
import { backendsOf, runnableBackends } from './boards/backend-selection';
import { BACKEND_KINDS, BOARDS, type BackendKind } from './boards/board-catalogue';

/** The catalogue as this machine sees it: which backends each board has, which can run here, whether its firmware is built. */
export function boardStatus(installed: DetectedBackends, firmwareDir: string) {
  return BOARDS.map((board) => {
    const elf = board.firmwareTarget === null ? null : join(firmwareDir, board.firmwareTarget, 'wasmbed.elf');
    return {
      name: board.name,
      aliases: board.aliases,
      description: board.description,
      architecture: board.arch,
      provisioningArea: `0x${board.provisioningArea.toString(16)}`,
      backends: backendsOf(board),
      runnable: runnableBackends(board, installed),
      firmware: elf === null ? null : { elf, built: existsSync(elf) },
      ...(board.unsupported !== undefined ? { unsupported: board.unsupported } : {}),
      ...(board.renode?.caveat !== undefined ? { renodeCaveat: board.renode.caveat } : {}),
    };
  });
}

/** Per backend: whether this manager may use it, whether it was found, and the tools with their versions. */
export function backendStatus(installed: DetectedBackends, enabled: readonly BackendKind[]) {
  return Object.fromEntries(
    BACKEND_KINDS.map((kind) => {
      const tools = Object.fromEntries(
        Object.entries(installed.tools).filter(([name]) => (kind === 'renode' ? name === 'renode' : name !== 'renode')),
      );
      const available = kind === 'renode' ? installed.renode : installed.qemu.size > 0;
      return [kind, { enabled: enabled.includes(kind), available, tools }];
    }),
  );
}
