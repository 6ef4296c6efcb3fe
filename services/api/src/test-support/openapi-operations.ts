// Test-only: the operations openapi.yaml declares, read by indentation (two
// spaces per level, as the file is written) since no YAML parser is installed.

export interface DeclaredOperation {
  readonly method: string;
  readonly path: string;
  readonly operationId: string | undefined;
  /** x-wasmbed-role, or 'none' for `security: []`; undefined when neither is given. */
  readonly auth: string | undefined;
}

const METHODS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']);

export function declaredOperations(yaml: string): DeclaredOperation[] {
  const lines = yaml.split('\n');
  const start = lines.indexOf('paths:');
  if (start < 0) throw new Error('openapi.yaml has no top-level paths:');
  const operations: { method: string; path: string; operationId?: string; auth?: string }[] = [];
  let path: string | undefined;
  for (const line of lines.slice(start + 1)) {
    if (/^\S/.test(line)) break; // the next top-level key
    const pathKey = /^ {2}(\/\S*):\s*$/.exec(line);
    if (pathKey) {
      path = pathKey[1];
      continue;
    }
    const methodKey = /^ {4}(\w+):\s*$/.exec(line);
    if (methodKey && METHODS.has(methodKey[1])) {
      if (path === undefined) throw new Error(`operation outside a path: ${line}`);
      operations.push({ method: methodKey[1].toUpperCase(), path });
      continue;
    }
    const current = operations.at(-1);
    const field = /^ {6}(operationId|x-wasmbed-role|security):\s*(.*?)\s*$/.exec(line);
    if (current === undefined || field === null) continue;
    if (field[1] === 'operationId') current.operationId = field[2];
    else if (field[1] === 'x-wasmbed-role') current.auth = field[2];
    else if (field[2] === '[]') current.auth = 'none';
  }
  return operations.map((op) => ({ method: op.method, path: op.path, operationId: op.operationId, auth: op.auth }));
}
