// npm run local-action: run src/main.ts with @github/local-action and the .env that `npm run emulator` wrote.
// NODE_EXTRA_CA_CERTS is read when Node starts, too early for a .env: set it here, for any platform.
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { CA_FILE, ROOT } from './runner.js'

const envFile = process.argv[2] ?? '.env'
if (!existsSync(envFile)) {
  console.error(`No ${envFile}: start the emulator first (npm run emulator), in another terminal.`)
  process.exit(2)
}
const bin = join(ROOT, 'node_modules', '@github', 'local-action', 'bin', 'local-action.js')
const child = spawn(process.execPath, [bin, 'run', ROOT, join('src', 'main.ts'), envFile], {
  stdio: 'inherit',
  env: { ...process.env, NODE_EXTRA_CA_CERTS: CA_FILE }
})
child.on('close', code => process.exit(code ?? 1))
