/**
 * Stands in for undici in the bundle (tsconfig.json `paths`, which ncc resolves). @actions/http-client imports
 * undici only for `getAgentDispatcher`, which this action never calls; the proxy path it does use (HTTPS_PROXY)
 * goes through `tunnel`. Without undici, dist/index.js is half the size and the action starts sooner.
 */
export class ProxyAgent {
  constructor() {
    throw new Error('undici is not bundled with ams-job-wait: HttpClient.getAgentDispatcher is unavailable')
  }
}
