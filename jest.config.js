import { spawnSync } from 'node:child_process'
import vm from 'node:vm'

// The tests are ES modules, which jest runs only with Node's --experimental-vm-modules. npm test sets it;
// a plain `npx jest` (or an editor's jest) would fail every suite with "Must use import to load ES Module",
// so without the flag this file runs the same command again with it, and exits with its status.
if (typeof vm.SourceTextModule !== 'function') {
  const options = `${process.env.NODE_OPTIONS ?? ''} --experimental-vm-modules`.trim()
  const again = spawnSync(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
    stdio: 'inherit',
    env: { ...process.env, NODE_OPTIONS: options, NODE_NO_WARNINGS: '1' }
  })
  process.exit(again.status ?? 1)
}

// Two projects: fast unit tests (mocks allowed) and end-to-end tests that spawn the committed
// dist/index.js against the HTTPS emulator.
const common = {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }] },
  // Leave the emulator's plain ESM JavaScript untransformed.
  transformIgnorePatterns: ['/node_modules/', '/emulator/'],
  // Stryker's sandboxes (npm run mutate) are copies of the project: not modules or tests of this one.
  modulePathIgnorePatterns: ['<rootDir>/\\.stryker-tmp']
}

export default {
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/__tests__/unit/**/*.test.ts'] },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/__tests__/e2e/**/*.test.ts'],
      // They run the committed dist/index.js: fail at once when it was built before the last change to src/.
      globalSetup: '<rootDir>/scripts/dist-fresh.js'
    }
  ],
  // End-to-end tests spawn the action, which polls at least once a second.
  testTimeout: 60_000,
  reporters: ['default', '<rootDir>/scripts/jest-summary-reporter.js'],
  verbose: false
}
