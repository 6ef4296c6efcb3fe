/**
 * A minimal valid WebAssembly module built in memory: imports `() -> ()`
 * functions and exports one function, so tests need no compiler or files.
 */
export function tinyWasmModule(options: { imports: readonly [string, string][]; exportName: string }): Uint8Array {
  const name = (s: string) => [s.length, ...Buffer.from(s, 'utf8')];
  const section = (id: number, content: number[]) => [id, content.length, ...content];
  const imports = options.imports.flatMap(([module, field]) => [...name(module), ...name(field), 0x00, 0x00]);
  const ownIndex = options.imports.length;
  return Uint8Array.from([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, [1, 0x60, 0, 0]), // one type: () -> ()
    ...section(2, [options.imports.length, ...imports]),
    ...section(3, [1, 0]), // one function of type 0
    ...section(7, [1, ...name(options.exportName), 0x00, ownIndex]),
    ...section(10, [1, 2, 0, 0x0b]), // its body: no locals, end
  ]);
}
