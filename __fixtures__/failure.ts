/** The error a call fails with; the test fails if it succeeds. */
export async function failure(p: Promise<unknown>): Promise<Error> {
  const e = await p.then(
    () => undefined,
    (error: unknown) => error
  )
  if (!(e instanceof Error)) throw new Error('expected the call to fail')
  return e
}

/** The error of class `kind` a synchronous call throws; the test fails if it returns or throws another. */
export function thrownBy<E extends Error>(fn: () => unknown, kind: abstract new (...args: never[]) => E): E {
  try {
    fn()
  } catch (error) {
    if (error instanceof kind) return error
    throw new Error(`expected a ${kind.name}, got ${String(error)}`)
  }
  throw new Error(`expected a ${kind.name}, but the call returned`)
}

/** The error of class `kind` a promise rejects with; the test fails if it resolves or rejects with another. */
export async function rejectedWith<E extends Error>(
  p: Promise<unknown>,
  kind: abstract new (...args: never[]) => E
): Promise<E> {
  const error = await failure(p)
  if (error instanceof kind) return error
  throw new Error(`expected a ${kind.name}, got ${String(error)}`)
}
