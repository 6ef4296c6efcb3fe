import * as fs from 'node:fs';
import * as path from 'node:path';
import { readBuiltModule } from './app-files';
import { EXAMPLE_APPS, ExampleAppNotBuilt, UnknownExampleApp, exampleAppPath, loadExampleApp } from './index';

describe('example app files', () => {
  it('resolves every app into the package dist/wasm folder', () => {
    const dir = path.resolve(__dirname, '..', 'dist', 'wasm');
    for (const app of EXAMPLE_APPS) expect(exampleAppPath(app.name)).toBe(path.join(dir, `${app.name}.wasm`));
  });

  it('builds exactly the catalogued apps', () => {
    // Fails with the build hint when dist/wasm is missing, like loadExampleApp.
    for (const app of EXAMPLE_APPS) expect(loadExampleApp(app.name).length).toBeGreaterThan(8);
    const built = fs.readdirSync(path.dirname(exampleAppPath('hello'))).sort();
    expect(built).toEqual(EXAMPLE_APPS.map((a) => `${a.name}.wasm`).sort());
  });

  it('refuses names outside the catalog, including path tricks', () => {
    expect(() => exampleAppPath('nope')).toThrow(UnknownExampleApp);
    expect(() => loadExampleApp('../wasm/hello')).toThrow(UnknownExampleApp);
  });

  it('says how to build when a module is missing', () => {
    const missing = path.join(__dirname, 'no-such-dir', 'hello.wasm');
    expect(() => readBuiltModule(missing)).toThrow(ExampleAppNotBuilt);
    expect(() => readBuiltModule(missing)).toThrow('run `npm run build -w @wasmbed/example-apps`');
  });
});
