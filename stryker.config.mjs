// @ts-check
/**
 * Mutation testing of the pure modules (`npm run mutate`, not part of `npm test`): Stryker changes one thing in
 * the code at a time (a `<` into `<=`, a condition into `true`, a block into `{}`) and runs the unit tests that
 * cover it; a mutant no test notices is a test gap or code that says more than it needs to. docs/mutation.md
 * has the scores and the survivors that are equivalent. One file: `npm run mutate -- --mutate src/time.ts`.
 * @type {import('@stryker-mutator/api/core').PartialStrykerOptions}
 */
export default {
  packageManager: 'npm',
  testRunner: 'jest',
  // The tests are ES modules, which jest runs only with this flag (jest.config.js re-executes itself to add it).
  testRunnerNodeArgs: ['--experimental-vm-modules'],
  jest: { projectType: 'custom', configFile: 'jest.stryker.config.js' },
  // Mutants that do not compile are not counted (and not run).
  checkers: ['typescript'],
  tsconfigFile: 'tsconfig.stryker.json',
  // Each mutant runs only the tests that reached it in the first, unmutated run.
  coverageAnalysis: 'perTest',
  // A rerun tests only the mutants whose code or tests changed since the last run on this machine; the file is
  // local (reports/ is not committed), so CI's scheduled run measures everything from scratch.
  incremental: true,
  incrementalFile: 'reports/stryker-incremental.json',
  // A mutant of a module-level constant (a unit table, a set of names) is "static": no per-test coverage says
  // which tests read it, so each runs the whole unit suite, most of a run's time. They are left out of the
  // score (docs/mutation.md counts them). Stryker's command line can only turn the option on (`--ignoreStatic
  // false` is refused as a second argument), so `npm run mutate:static` (stryker.static.config.mjs) is the run
  // that mutates them too, on the modules where such constants are data (TOKEN_AND_STATE below).
  ignoreStatic: true,
  mutate: [
    'src/wait/schedule.ts',
    'src/wait/waiter.ts',
    'src/jobs/model.ts',
    'src/jobs/json.ts',
    'src/jobs/v2/parse.ts',
    'src/jobs/v3/parse.ts',
    'src/text.ts',
    'src/time.ts',
    'src/transport/retry.ts',
    'src/transport/trust.ts',
    'src/wait/view.ts',
    'src/wait/band.ts',
    'src/report/log.ts',
    'src/report/naming.ts',
    'src/report/outputs.ts',
    'src/report/verdict.ts',
    'src/report/summary.ts',
    'src/clouds.ts',
    'src/settings/endpoints.ts',
    'src/jobs/v3/inputs.ts',
    'src/jobs/v2/inputs.ts',
    'src/jobs/v2/api.ts',
    'src/jobs/v3/api.ts',
    'src/jobs/answers.ts',
    'src/settings/jobs.ts',
    'src/settings/public-suffix.ts',
    'src/values.ts'
  ],
  reporters: ['clear-text', 'html', 'json', 'progress'],
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  clearTextReporter: { allowColor: false, logTests: false },
  thresholds: { high: 90, low: 80, break: null },
  // Polite on a laptop or a shared machine; the workflow (.github/workflows/mutation.yml) passes 4.
  concurrency: 2,
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always'
}
