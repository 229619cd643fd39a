/** A fixture tree for __tests__/unit/docs/architecture.test.ts: each file breaks one rule, or none. */
export interface Job {
  id: string
}
