// One jest run for the whole repo, split into tiers: unit (no I/O), integration
// (real nats-server, real sockets) and e2e (whole system). Workspace packages are
// resolved to their TypeScript sources so tests never depend on a stale dist/.
const swc = [
  '@swc/jest',
  {
    jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
    module: { type: 'commonjs' },
    sourceMaps: 'inline',
  },
];

// Every workspace package with a src/index.ts, by its package name.
const fs = require('node:fs');
const path = require('node:path');
const moduleNameMapper = {};
for (const group of ['libs', 'services', 'emulation', 'tools']) {
  const dir = path.join(__dirname, group);
  if (!fs.existsSync(dir)) continue;
  for (const name of fs.readdirSync(dir)) {
    const manifest = path.join(dir, name, 'package.json');
    const entry = path.join(dir, name, 'src', 'index.ts');
    if (!fs.existsSync(manifest) || !fs.existsSync(entry)) continue;
    const pkg = JSON.parse(fs.readFileSync(manifest, 'utf8')).name;
    moduleNameMapper[`^${pkg.replace('/', '\\/')}$`] = entry;
  }
}

// ESM-only packages (@kubernetes/client-node 1.x and its ESM dependencies): jest's
// CommonJS loader cannot require them, so they are compiled to CommonJS like our sources.
const esmOnly = ['@kubernetes/client-node', 'openid-client', 'jose', 'oauth4webapi', '@jsep-plugin'];
const swcEsm = ['@swc/jest', { jsc: { parser: { syntax: 'ecmascript' }, target: 'es2022' }, module: { type: 'commonjs' } }];

const common = {
  rootDir: __dirname,
  transform: { '^.+\\.ts$': swc, [`/node_modules/(${esmOnly.join('|')})/.+\\.js$`]: swcEsm },
  transformIgnorePatterns: [`/node_modules/(?!(${esmOnly.join('|')})/)`],
  moduleNameMapper,
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  modulePathIgnorePatterns: ['<rootDir>/.*/dist/'],
  testEnvironment: 'node',
};

module.exports = {
  // Integration files start real servers; e2e files raise this further themselves.
  testTimeout: 60_000,
  reporters: ['default', '<rootDir>/scripts/jest-summary-reporter.js'],
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: ['<rootDir>/{libs,services,bench,emulation,tools,infra,firmware}/**/*.test.ts'],
      testPathIgnorePatterns: [...common.testPathIgnorePatterns, '\\.int\\.test\\.ts$'],
    },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/{libs,services,bench,emulation,tools,infra,firmware}/**/*.int.test.ts'],
    },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/e2e/**/*.test.ts'],
    },
  ],
};
