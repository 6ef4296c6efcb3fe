import {
  EXAMPLE_APPS,
  WASM_PAGE_BYTES,
  inspectModule,
  loadExampleApp,
  prepareModule,
  requiredHostFunctions,
  runWithReferenceHost,
} from './index';

// The root test command builds first; run `npm run build -w @wasmbed/example-apps`
// when loadExampleApp reports the modules missing.
describe.each(EXAMPLE_APPS.map((app) => [app.name, app] as const))('example app %s', (_name, app) => {
  const bytes = loadExampleApp(app.name);
  const info = inspectModule(bytes);

  it('is a valid WebAssembly module using MVP features only', () => {
    expect(WebAssembly.validate(bytes)).toBe(true);
    expect(info.postMvpFeatures).toEqual([]);
    expect(info.hasStartFunction).toBe(false);
  });

  it('imports exactly the host functions its catalog entry lists', () => {
    expect(info.imports.every((i) => i.module === 'wasmbed' && i.kind === 'function')).toBe(true);
    expect(requiredHostFunctions(info)).toEqual([...app.requiredHostFunctions]);
  });

  it('exports memory and a run () -> () entry point', () => {
    expect(info.exports).toEqual(
      expect.arrayContaining([
        { name: 'memory', kind: 'memory', type: null },
        { name: app.entryPoint, kind: 'function', type: { params: [], results: [] } },
      ]),
    );
    expect(info.memories).toHaveLength(1);
    expect(info.memories[0].initialPages * WASM_PAGE_BYTES).toBe(app.minMemoryBytes);
  });

  it('loads under a memory limit of minMemoryBytes but not one byte less', () => {
    const entryPoint = app.entryPoint;
    expect(prepareModule(bytes, { entryPoint, memoryLimitBytes: app.minMemoryBytes }).memoryLimitPages).toBe(1);
    const run = runWithReferenceHost(bytes, { memoryLimitBytes: app.minMemoryBytes - 1 });
    expect(run.outcome).toMatchObject({ state: 'failed', reason: 'memory_limit' });
  });
});

describe('big-64k', () => {
  it('is a module of 60 to 70 KiB that behaves like counter', () => {
    const big = loadExampleApp('big-64k');
    expect(big.length).toBeGreaterThanOrEqual(60 * 1024);
    expect(big.length).toBeLessThanOrEqual(70 * 1024);
    const counter = runWithReferenceHost(loadExampleApp('counter'));
    expect(runWithReferenceHost(big)).toEqual(counter);
  });
});
