// @ts-check
import base from './stryker.config.mjs'

/**
 * The modules that decide where a token may go (trusted hosts, the Public Suffix List check, each cloud's
 * domains, the job URLs' host, the host-name rule) or what a job's state is (the model and both parsers). Their
 * module-level constants are data (a suffix list entry, a cloud's domain, a state's name): a mutant that empties
 * one must be noticed, so here static mutants count too (`ignoreStatic: false`, which Stryker's command line
 * cannot set). Each static mutant runs the whole unit suite, so this is the slower run:
 * `npm run mutate:static`, or one file with `npm run mutate:static -- --mutate src/settings/public-suffix.ts`.
 */
export const TOKEN_AND_STATE = [
  'src/transport/trust.ts',
  'src/settings/endpoints.ts',
  'src/settings/public-suffix.ts',
  'src/clouds.ts',
  'src/jobs/v3/inputs.ts',
  'src/jobs/v2/inputs.ts',
  'src/jobs/v2/api.ts',
  'src/jobs/v3/api.ts',
  'src/jobs/answers.ts',
  'src/values.ts',
  'src/jobs/model.ts',
  'src/jobs/json.ts',
  'src/jobs/v2/parse.ts',
  'src/jobs/v3/parse.ts'
]

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  ...base,
  ignoreStatic: false,
  mutate: TOKEN_AND_STATE,
  // Its own incremental file: the default run records these modules' static mutants as ignored.
  incrementalFile: 'reports/stryker-incremental-static.json'
}
