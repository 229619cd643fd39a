// @ts-check
/**
 * Media Services v2 REST (global endpoint redirect + account endpoint Jobs/Tasks/OutputMediaAssets/CancelJob),
 * in minimal-metadata and verbose JSON shapes. Test-only code.
 */
import { send, safeDecode, hostName, originOf } from './util.js'
import { snapshot, cancel, isFinal } from './jobs.js'
import { isVerbose, odataError, jobEntity, taskEntities, assetEntities, sendOData } from './odata.js'

/**
 * @typedef {{ shape: 'minimal' | 'verbose' | 'auto', verboseDates: 'iso' | 'ms',
 *   redirect: 'root' | 'same-path' | 'evil' | 'none',
 *   tokens: Map<string, { expiresAt: number, revoked: boolean }>, store: import('./jobs.js').JobStore,
 *   urls: { account: string, evil: string }, namedUrls: { account: string, evil: string },
 *   hostnames: { global: string, account: string, evil: string } }} MediaState
 * @typedef {import('node:http').IncomingMessage} Req
 * @typedef {import('node:http').ServerResponse} Res
 */

/**
 * Checks Authorization, x-ms-version, DataServiceVersion and MaxDataServiceVersion.
 * Sends the error and returns false when the request must be refused.
 * @param {MediaState} st
 * @param {Req} req
 * @param {Res} res
 * @returns {boolean}
 */
export function checkAmsRequest(st, req, res) {
  const verbose = isVerbose(st, req)
  const auth = String(req.headers.authorization || '')
  const m = /^Bearer (.+)$/.exec(auth)
  const entry = m ? st.tokens.get(m[1]) : undefined
  if (!entry || entry.revoked || entry.expiresAt <= Date.now()) {
    const why = !m
      ? 'No access token was provided.'
      : !entry
        ? 'The access token is invalid.'
        : 'The access token has expired.'
    odataError(
      res,
      verbose,
      401,
      `${why} Access to the Media Services resource requires a valid Azure AD access token.`,
      {
        'WWW-Authenticate': `Bearer error="invalid_token", error_description="${why}", resource_id="https://rest.media.azure.net"`
      }
    )
    return false
  }
  const version = String(req.headers['x-ms-version'] ?? '')
  const vm = /^2\.(\d+)$/.exec(version.trim())
  if (!vm || Number(vm[1]) < 11 || Number(vm[1]) > 19) {
    odataError(
      res,
      verbose,
      400,
      version
        ? `The value '${version}' of the x-ms-version header is not supported. Supported versions are 2.11 to 2.19.`
        : 'The x-ms-version header is required. Supported versions are 2.11 to 2.19.'
    )
    return false
  }
  for (const h of ['dataserviceversion', 'maxdataserviceversion']) {
    if (!req.headers[h]) {
      const name = h === 'dataserviceversion' ? 'DataServiceVersion' : 'MaxDataServiceVersion'
      odataError(res, verbose, 400, `The ${name} header is required (for example '3.0').`)
      return false
    }
  }
  return true
}

/**
 * Global endpoint: 301 to the account endpoint (or serves jobs itself with redirect 'none').
 * @param {MediaState} st
 * @param {Req} req
 * @param {Res} res
 * @param {URL} url
 */
export function handleGlobal(st, req, res, url) {
  if (!/^\/api(\/|$)/i.test(url.pathname))
    return odataError(res, isVerbose(st, req), 404, 'Resource not found.')
  if (!checkAmsRequest(st, req, res)) return
  if (st.redirect === 'none') return handleAccount(st, req, res, url, true)
  const named = hostName(req.headers.host) === st.hostnames.global
  const account = named ? st.namedUrls.account : st.urls.account
  let location = account
  if (st.redirect === 'evil') location = named ? st.namedUrls.evil : st.urls.evil
  if (st.redirect === 'same-path') {
    const raw = req.url || '/'
    location = account + raw.replace(/^\/api\/?/i, '')
  }
  const html = `<html><head><title>Object moved</title></head><body><h2>Object moved to <a href="${location}">here</a>.</h2></body></html>`
  send(res, 301, { Location: location, 'Content-Type': 'text/html; charset=utf-8' }, html)
}

/**
 * @param {string} s OData string literal content with '' escapes
 */
const unquote = s => s.replace(/''/g, "'")

/**
 * Parses `Id eq 'a' or Id eq 'b'`. Returns the ids, or an error message.
 * @param {string} filter
 * @returns {{ ids: string[] } | { error: string }}
 */
export function parseIdFilter(filter) {
  const re = /\s*Id\s+eq\s+'((?:[^']|'')*)'\s*/y
  /** @type {string[]} */
  const ids = []
  let pos = 0
  for (;;) {
    re.lastIndex = pos
    const m = re.exec(filter)
    if (!m) return { error: `Syntax error at position ${pos} in '${filter}'.` }
    ids.push(unquote(m[1]))
    pos = re.lastIndex
    if (pos === filter.length) return { ids }
    const or = /or\s+/y
    or.lastIndex = pos
    if (!or.exec(filter)) return { error: `Syntax error at position ${pos} in '${filter}'.` }
    pos = or.lastIndex
  }
}

/**
 * Account endpoint (also used by the evil look-alike and by the global one with redirect 'none').
 * @param {MediaState} st
 * @param {Req} req
 * @param {Res} res
 * @param {URL} url
 * @param {boolean} [checked] headers were already checked
 */
export function handleAccount(st, req, res, url, checked = false) {
  const verbose = isVerbose(st, req)
  const m = /^\/api(\/.*)?$/i.exec(safeDecode(url.pathname))
  if (!m) return odataError(res, verbose, 404, 'Resource not found.')
  if (!checked && !checkAmsRequest(st, req, res)) return
  const rest = (m[1] || '/').slice(1)
  const base = `${originOf(req.headers.host, 'localhost')}/api/`
  const method = req.method || 'GET'
  const q = url.searchParams

  if (rest === '') {
    const sets = ['AccessPolicies', 'Assets', 'Jobs', 'Locators', 'MediaProcessors', 'Tasks']
    return sendOData(
      res,
      verbose,
      verbose
        ? { d: { EntitySets: sets } }
        : { 'odata.metadata': `${base}$metadata`, value: sets.map(name => ({ name, url: name })) }
    )
  }
  if (rest === 'CancelJob') {
    if (method !== 'GET' && method !== 'POST') return odataError(res, verbose, 405, 'Method not allowed.')
    const lit = /^'((?:[^']|'')*)'$/.exec(q.get('jobid') || '')
    if (!lit)
      return odataError(res, verbose, 400, "The query parameter 'jobid' must be a quoted string literal.")
    const job = st.store.visible(unquote(lit[1]))
    if (!job) return odataError(res, verbose, 404, `Resource Jobs('${unquote(lit[1])}') does not exist.`)
    snapshot(job, false)
    if (isFinal(job.state)) {
      job.cancelRequests += 1
      return odataError(
        res,
        verbose,
        400,
        `Job '${job.id}' is in a final state (${job.state}) and cannot be canceled.`
      )
    }
    cancel(job)
    return send(res, 204, { DataServiceVersion: '1.0;' })
  }
  if (method !== 'GET') return odataError(res, verbose, 405, 'Method not allowed.')
  if (rest === 'Jobs' || rest === 'Jobs()') {
    let jobs = st.store.jobs.filter(j => !j.missing)
    const filter = q.get('$filter')
    if (filter !== null) {
      const parsed = parseIdFilter(filter)
      if ('error' in parsed) return odataError(res, verbose, 400, parsed.error)
      const wanted = new Set(parsed.ids)
      jobs = jobs.filter(j => wanted.has(j.id))
    }
    jobs = jobs.filter(j => {
      if (j.hiddenLeft <= 0) return true
      j.hiddenLeft -= 1
      return false
    })
    const skip = Number(q.get('$skip') ?? 0)
    const top = Math.min(1000, Number(q.get('$top') ?? 1000))
    if (!Number.isInteger(skip) || skip < 0 || !Number.isInteger(top) || top < 0) {
      return odataError(res, verbose, 400, 'Invalid $top or $skip value.')
    }
    const list = jobs.slice(skip, skip + top).map(j => jobEntity(st, snapshot(j, true), verbose, base))
    return sendOData(
      res,
      verbose,
      verbose ? { d: { results: list } } : { 'odata.metadata': `${base}$metadata#Jobs`, value: list }
    )
  }
  const km = /^Jobs\('((?:[^']|'')*)'\)(\/Tasks|\/OutputMediaAssets)?$/.exec(rest)
  if (km) {
    const id = unquote(km[1])
    const job = st.store.visible(id)
    if (job && !km[2] && job.hiddenLeft > 0) job.hiddenLeft -= 1
    else if (job && job.hiddenLeft <= 0) {
      const snap = snapshot(job, !km[2])
      if (km[2] === '/OutputMediaAssets') {
        const list = assetEntities(st, job, verbose, base)
        return sendOData(
          res,
          verbose,
          verbose ? { d: { results: list } } : { 'odata.metadata': `${base}$metadata#Assets`, value: list }
        )
      }
      if (km[2]) {
        const list = taskEntities(st, snap, verbose, base)
        return sendOData(
          res,
          verbose,
          verbose ? { d: { results: list } } : { 'odata.metadata': `${base}$metadata#Tasks`, value: list }
        )
      }
      const e = jobEntity(st, snap, verbose, base)
      return sendOData(
        res,
        verbose,
        verbose ? { d: e } : { 'odata.metadata': `${base}$metadata#Jobs/@Element`, ...e }
      )
    }
    return odataError(res, verbose, 404, `Resource Jobs('${id}') does not exist.`)
  }
  return odataError(res, verbose, 404, `Resource not found for the segment '${rest}'.`)
}
