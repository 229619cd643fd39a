/**
 * Stands in for @actions/exec in the bundle (tsconfig.json `paths`, as no-undici.ts). @actions/core
 * imports it only for `platform.getDetails`, which this action never calls; leaving it out spares every
 * start loading child_process and @actions/io.
 */
export function getExecOutput(): never {
  throw new Error('@actions/exec is not bundled with ams-job-wait: core.platform.getDetails is unavailable')
}
