/** The error a call fails with; the test fails if it succeeds. */
export async function failure(p: Promise<unknown>): Promise<Error> {
  const e = await p.then(
    () => undefined,
    (error: unknown) => error
  )
  if (!(e instanceof Error)) throw new Error('expected the call to fail')
  return e
}
