import type { TokenSource } from '../src/auth/token-source.js'

/** A token source that counts its calls; a fresh token is a new one. */
export class FakeTokens implements TokenSource {
  readonly calls: boolean[] = []
  private n = 1
  constructor(
    readonly canRefresh = true,
    readonly description = 'the client secret'
  ) {}
  async getToken(fresh: boolean): Promise<string> {
    this.calls.push(fresh)
    if (fresh) this.n++
    return `tok-${this.n}`
  }
  get fresh(): number {
    return this.calls.filter(Boolean).length
  }
}
