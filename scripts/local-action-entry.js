// @ts-check
/**
 * The entry `npm run local-action` hands @github/local-action: src/main.ts's run(), with each output also
 * written to GITHUB_OUTPUT as the runner's file command (`name<<delimiter`, as @actions/core writes it), since
 * local-action's stand-in for core.setOutput only prints it.
 */
import { randomUUID } from 'node:crypto'
import { appendFileSync } from 'node:fs'
import { githubRuntime, run as runAction } from '../src/main.js'

/** @returns {Promise<void>} */
export function run() {
  const rt = githubRuntime()
  const file = process.env.GITHUB_OUTPUT
  return runAction({
    ...rt,
    setOutput: (name, value) => {
      rt.setOutput(name, value)
      const delimiter = `ghadelimiter_${randomUUID()}`
      if (file) appendFileSync(file, `${name}<<${delimiter}\n${value}\n${delimiter}\n`)
    }
  })
}
