/** The inputs action.yml declares, and the one place they are read. */

export type InputReader = (name: string) => string

export const INPUT_NAMES = [
  'job-id',
  'job-url',
  'arm-url',
  'cloud',
  'environment',
  'tenant-id',
  'client-id',
  'client-secret',
  'client-certificate',
  'access-token',
  'creds',
  'audience',
  'api-url',
  'authority-host',
  'x-ms-version',
  'poll-interval',
  'polling',
  'timeout',
  'fail-on',
  'trusted-hosts',
  'cancel-on-abort'
] as const
export type InputName = (typeof INPUT_NAMES)[number]

/** Every input as given, trimmed; '' when unset. Typed by INPUT_NAMES: an undeclared input does not compile. */
export type Inputs = Readonly<Record<InputName, string>>

/** Reads each declared input once; everything after this works on the values. */
export function readInputs(read: InputReader): Inputs {
  return Object.fromEntries(INPUT_NAMES.map(name => [name, (read(name) ?? '').trim()])) as Record<
    InputName,
    string
  >
}
