import { buildFrameVectors } from './frame-vectors';
import { buildManifestVectors } from './manifest-vectors';
import { buildMessageVectors } from './message-vectors';

/** The committed vector files, by file name, exactly as they must read on disk. */
export function renderVectorFiles(): Record<string, string> {
  const render = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;
  return {
    'frames.json': render(buildFrameVectors()),
    'messages.json': render(buildMessageVectors()),
    'manifests.json': render(buildManifestVectors()),
  };
}
