import base from './stryker.config.mjs'
export default { ...base, mutate: 'src/wait/schedule.ts'.split(','), incrementalFile: 'reports/inc-schedule.json',
  jsonReporter: { fileName: '/tmp/mut/schedule.json' }, htmlReporter: { fileName: '/tmp/mut/schedule.html' },
  tempDirName: '.stryker-tmp-schedule' }
