/**
 * One setup for every end-to-end file: the emulator (Entra ID, GitHub OIDC, Media Services v2) and its
 * Resource Manager / MK.IO-shaped companion, started and closed by jest's hooks.
 *
 *   const emu = useEmulator()                       // a fresh one for each test
 *   const emu = useEmulator({ proxy: true }, 'file') // one for the whole file
 *   const { emu, v3 } = useV3Emulators()            // v2 emulator (Entra ID for ARM) + ARM/MK.IO
 *   const start = useEmulatorFactory()              // tests that choose options themselves
 *
 * The values returned stand for the emulator of the running test: `emu.tenantId`, `emu.requests` and so on
 * read the current one, so a test file reads as if it held the emulator itself.
 */
import { afterAll, afterEach, beforeAll, beforeEach } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { request } from 'node:https'
import { startArmEmulator } from '../../emulator/arm.js'
import { startEmulator } from '../../emulator/index.js'

export type Emulator = Awaited<ReturnType<typeof startEmulator>>
export type EmulatorOptions = NonNullable<Parameters<typeof startEmulator>[0]>
export type ArmEmulator = Awaited<ReturnType<typeof startArmEmulator>>

/** The Resource Manager scope: the emulator's Entra ID issues tokens for it when v3 jobs are on ARM. */
export const ARM_SCOPE = 'https://management.azure.com/.default'

/** Stands for whatever `current()` holds when a property is read; methods stay bound to it. */
function standIn<T extends object, X extends object = object>(
  what: string,
  current: () => T | undefined,
  extra?: X
): T & X {
  return new Proxy({} as T & X, {
    get(_, key) {
      if (extra && key in extra) return Reflect.get(extra, key)
      const target = current()
      if (!target) throw new Error(`no ${what} is running: read it inside a test`)
      const value: unknown = Reflect.get(target, key)
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value
    }
  })
}

function hooks(per: 'test' | 'file') {
  return per === 'file' ? { before: beforeAll, after: afterAll } : { before: beforeEach, after: afterEach }
}

/** The emulator of the running test, which a test may restart with other options. */
export type ManagedEmulator = Emulator & { restart(options?: EmulatorOptions): Promise<void> }

/** An emulator started before each test (or once for the file) and closed after it. */
export function useEmulator(options: EmulatorOptions = {}, per: 'test' | 'file' = 'test'): ManagedEmulator {
  let emu: Emulator | undefined
  const { before, after } = hooks(per)
  before(async () => {
    emu = await startEmulator(options)
  })
  after(async () => {
    await emu?.close()
    emu = undefined
  })
  const restart = async (next: EmulatorOptions = {}): Promise<void> => {
    await emu?.close()
    emu = await startEmulator(next)
  }
  return standIn('emulator', () => emu, { restart })
}

/** Options of the ARM / MK.IO-shaped companion; it always trusts the tokens the emulator issued. */
export type ArmOptions = Omit<Parameters<typeof startArmEmulator>[0], 'isIssuedToken'>

/** The ARM / MK.IO-shaped job hosts of the running test, which a test may restart with other options. */
export type ManagedArmEmulator = ArmEmulator & { restart(options?: ArmOptions): Promise<void> }

/** The emulator (its Entra ID issuing Resource Manager tokens) and the ARM / MK.IO-shaped job hosts. */
export function useV3Emulators(options: EmulatorOptions = { scope: ARM_SCOPE }): {
  emu: Emulator
  v3: ManagedArmEmulator
} {
  let emu: Emulator | undefined
  let v3: ArmEmulator | undefined
  const startV3 = (o: ArmOptions = {}): Promise<ArmEmulator> =>
    startArmEmulator({ ...o, isIssuedToken: t => emu?.issuedTokens.includes(t) ?? false })
  beforeEach(async () => {
    emu = await startEmulator(options)
    v3 = await startV3()
  })
  afterEach(async () => {
    await v3?.close()
    await emu?.close()
    emu = v3 = undefined
  })
  const restart = async (o: ArmOptions = {}): Promise<void> => {
    await v3?.close()
    v3 = await startV3(o)
  }
  return { emu: standIn('emulator', () => emu), v3: standIn('v3 emulator', () => v3, { restart }) }
}

/** For tests that pick the emulator's options themselves: every one started is closed after the test. */
export function useEmulatorFactory(): (options?: EmulatorOptions) => Promise<Emulator> {
  const started: Emulator[] = []
  afterEach(async () => {
    await Promise.all(started.splice(0).map(e => e.close()))
  })
  return async (options = {}) => {
    const emu = await startEmulator(options)
    started.push(emu)
    return emu
  }
}

/**
 * A token from the emulator's Entra ID for its service principal (Media Services' scope unless told), as a
 * workflow would pass in access-token: runs that use it make no sign-in of their own.
 */
export async function emulatorToken(
  e: Emulator,
  scope = 'https://rest.media.azure.net/.default'
): Promise<string> {
  const url = new URL(`${e.urls.authority}/${e.tenantId}/oauth2/v2.0/token`)
  const body = new URLSearchParams({
    grant_type: 'client_credentials',
    client_id: e.clientId,
    client_secret: e.clientSecret,
    scope
  }).toString()
  const text = await new Promise<string>((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        ca: readFileSync(e.caFile),
        headers: { 'content-type': 'application/x-www-form-urlencoded' }
      },
      res => {
        let data = ''
        res.on('data', (d: string) => (data += d))
        res.on('end', () => resolve(data))
      }
    )
    req.on('error', reject)
    req.end(body)
  })
  return (JSON.parse(text) as { access_token: string }).access_token
}

/**
 * The inputs of a service principal with a client secret waiting for a v3 job on the companion's Resource
 * Manager, polling every second.
 */
export function armInputs(
  emu: Emulator,
  v3: ArmEmulator,
  jobUrl: string,
  extra: Record<string, string> = {}
): Record<string, string> {
  return {
    'tenant-id': emu.tenantId,
    'client-id': emu.clientId,
    'client-secret': emu.clientSecret,
    'authority-host': emu.urls.authority,
    'arm-url': v3.urls.arm,
    'job-url': jobUrl,
    'poll-interval': '1s',
    timeout: '60s',
    ...extra
  }
}
