/** The inputs action.yml declares, and the one place they are read. */
import type { InputValues, JobApi } from '../jobs/api.js'
import { JOB_APIS } from '../jobs/apis.js'

export type InputReader = (name: string) => string

/** The inputs every run reads, whichever job API names the jobs (each API declares its own: jobs/api.ts). */
export const COMMON_INPUTS = [
  'cloud',
  'environment',
  'tenant-id',
  'client-id',
  'client-secret',
  'client-certificate',
  'access-token',
  'creds',
  'audience',
  'authority-host',
  'poll-interval',
  'polling',
  'timeout',
  'fail-on',
  'trusted-hosts',
  'cancel-on-abort'
] as const
export type InputName = (typeof COMMON_INPUTS)[number]

/** Every input the step declares: the common ones and each job API's. */
export function inputNames(apis: readonly JobApi[]): string[] {
  const own = apis.flatMap(api => [api.input, ...api.ownInputs.map(i => i.name)])
  return [...new Set([...COMMON_INPUTS, ...own])]
}

/** The inputs of the action as it ships (action.yml declares exactly these). */
export const INPUT_NAMES: readonly string[] = inputNames(JOB_APIS)

/** Every common input as given, trimmed; '' when unset. Typed: an undeclared input does not compile. */
export type Inputs = Readonly<Record<InputName, string>>

/** The inputs as read: the common ones by name, and any declared input (a job API's) by `value`. */
export interface StepInputs {
  inputs: Inputs
  value: InputValues
}

/** Reads each declared input once; everything after this works on the values. */
export function readInputs(read: InputReader, apis: readonly JobApi[]): StepInputs {
  const names = inputNames(apis)
  const all = new Map(names.map(name => [name, (read(name) ?? '').trim()]))
  const value = (name: string): string => {
    const v = all.get(name)
    if (v === undefined) throw new Error(`input ${name} is not declared by any job API`)
    return v
  }
  return { inputs: Object.fromEntries(COMMON_INPUTS.map(n => [n, all.get(n)!])) as Inputs, value }
}
