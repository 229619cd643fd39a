import config from './jest.config.js'

// Stryker's jest runner takes one project: the unit tests, as jest.config.js defines them. The docs and tooling
// tests are left out: they read the README, workflows and node_modules, or spawn jest and the bundler, and
// cover no line of the mutated modules, so they would only slow the first (unmutated) run in the sandbox.
const unit = config.projects.find(project => project.displayName === 'unit')

export default {
  ...unit,
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/__tests__/unit/(docs|tooling)/'],
  testTimeout: config.testTimeout
}
