/** What the guarded exchange makes of an answer (answers.ts): its shape, the wrong-endpoint budget, redirects. */
import { describe, expect, it } from '@jest/globals'
import { collectingLogger } from '../../../__fixtures__/logger.js'
import { reply } from '../../../__fixtures__/http.js'
import { ENTRA_ID, jobService, ServiceError, UserError } from '../../../src/errors.js'
import {
  answerShaped,
  followRedirect,
  type GuardedRequest,
  NotTheApi,
  type ServiceDialect,
  wrongEndpointBudget
} from '../../../src/jobs/answers.js'
import { FIRST_ANSWER_WITHIN_MS } from '../../../src/transport/retry.js'

const DIALECT: ServiceDialect = {
  service: 'Media Services',
  urlInput: 'api-url',
  untrustedHost: host => `Refused ${host}`,
  errorText: () => undefined,
  resourceName: url => url.pathname,
  explain: () => undefined
}
const SOURCE = jobService('Media Services')

describe('answerShaped: a body the API could have sent', () => {
  it.each<[number, string, boolean]>([
    [200, '{"value":[]}', true],
    [200, '\ufeff{"value":[]}', true],
    [200, '', true],
    [204, '  ', true],
    [299, '', true],
    [300, '', false],
    [199, '', false],
    [404, '', false],
    [503, '{"error":"busy"}', true],
    [200, '<html><body>Welcome</body></html>', false],
    [200, 'OK', false]
  ])('HTTP %i with %j: %p', (status, body, shaped) => {
    expect(answerShaped(reply(status, body))).toBe(shaped)
  })
})

describe('wrongEndpointBudget: what counts against the two minutes before a first answer', () => {
  /** Whether `error`, failing from the start, is given up as a wrong endpoint once the budget is spent. */
  const givenUp = (error: ServiceError): boolean => {
    const budget = wrongEndpointBudget(DIALECT, SOURCE)
    budget.check(error, 0, 1000)
    try {
      budget.check(error, FIRST_ANSWER_WITHIN_MS, 1000)
      return false
    } catch (e) {
      expect(e).toBeInstanceOf(UserError)
      expect((e as UserError).message).toMatch(
        /^Input api-url: Media Services has not answered as its API does for 2m/
      )
      return true
    }
  }

  it.each<[string, ServiceError, boolean]>([
    ['not reached (no status, no source)', new ServiceError('ECONNREFUSED', { transient: true }), true],
    [
      'not reached, from the job service',
      new ServiceError('reset', { transient: true, source: SOURCE }),
      true
    ],
    [
      'an answer that is not the API (a web page)',
      new NotTheApi('HTML page', { status: 200, transient: true }),
      true
    ],
    [
      'the service busy (503): it answered',
      new ServiceError('busy', { status: 503, transient: true }),
      false
    ],
    [
      'the sign-in failing: it says so itself',
      new ServiceError('token', { transient: true, source: ENTRA_ID }),
      false
    ]
  ])('%s: %p', (_what, error, expected) => {
    expect(givenUp(error)).toBe(expected)
  })

  it('stops counting once the service has answered', () => {
    const budget = wrongEndpointBudget(DIALECT, SOURCE)
    budget.answer()
    expect(() => budget.check(new ServiceError('reset'), FIRST_ANSWER_WITHIN_MS * 2, 1000)).not.toThrow()
  })
})

describe('followRedirect', () => {
  const from = new URL('https://media.windows.net/api/Jobs()')
  const o = (log = collectingLogger()) => ({ dialect: DIALECT, trustedHosts: ['.windows.net'], log })
  const moved = (location: string) => reply(301, '', { Location: location })

  it('says once where a moved API root now is, and goes on to the next URL the client gives', () => {
    const log = collectingLogger()
    const root = new URL('https://acct.windows.net/api/')
    const req: GuardedRequest = {
      method: 'GET',
      url: from,
      headers: {},
      redirected: () => ({ next: new URL('Jobs()', root), root })
    }
    const next = followRedirect(moved('https://acct.windows.net/api/Jobs()'), from, from, req, o(log), SOURCE)
    expect(next.href).toBe('https://acct.windows.net/api/Jobs()')
    expect(log.shown()).toEqual([
      'Media Services redirected to https://acct.windows.net/api/; later requests go there directly.'
    ])
  })

  it('says where a plain redirect went (without its query), and nothing when the root stayed', () => {
    const log = collectingLogger()
    const plain: GuardedRequest = { method: 'GET', url: from, headers: {} }
    const next = followRedirect(
      moved('https://acct.windows.net/jobs/j?sig=1'),
      from,
      from,
      plain,
      o(log),
      SOURCE
    )
    expect(next.href).toBe('https://acct.windows.net/jobs/j?sig=1')
    expect(log.shown()).toEqual(['Media Services redirected to https://acct.windows.net/jobs/j.'])

    const quiet = collectingLogger()
    const stayed: GuardedRequest = { ...plain, redirected: target => ({ next: target }) }
    followRedirect(moved('https://acct.windows.net/api/Jobs()'), from, from, stayed, o(quiet), SOURCE)
    expect(quiet.shown()).toEqual([])
  })

  it('refuses a host that may not receive the token before anything is sent there', () => {
    const req: GuardedRequest = { method: 'GET', url: from, headers: {} }
    expect(() => followRedirect(moved('https://evil.example/api/'), from, from, req, o(), SOURCE)).toThrow(
      'Refused evil.example'
    )
  })
})
