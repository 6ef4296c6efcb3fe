import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { renderVectorFiles } from './build-vectors';

// `npm run vectors`: regenerates libs/protocol/vectors/*.json (run from dist/vectors or src/vectors).
const dir = resolve(__dirname, '..', '..', 'vectors');
mkdirSync(dir, { recursive: true });
for (const [name, text] of Object.entries(renderVectorFiles())) {
  writeFileSync(join(dir, name), text);
  console.log(`wrote ${join(dir, name)}`);
}
