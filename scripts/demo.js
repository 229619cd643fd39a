// npm run demo: the action, exactly as a runner starts it, against the local HTTPS emulator.
// A job goes Queued -> Scheduled -> Processing -> Finished behind the global endpoint's redirect; the log,
// the outputs (its output asset among them) and the step summary are what a workflow would see.
import { spawn } from 'node:child_process'
import { startEmulator } from '../emulator/index.js'
import { ACTION, nodeBinary, nodeVersion, prepareRun } from './runner.js'

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
  ],
  outputAssets: [{ Name: 'trailer-720p-mbr' }]
})

const run = prepareRun({
  'job-id': jobId,
  'tenant-id': emu.tenantId,
  'client-id': emu.clientId,
  'client-secret': emu.clientSecret,
  'api-url': emu.urls.global,
  'authority-host': emu.urls.authority,
  'trusted-hosts': new URL(emu.urls.account).host,
  'poll-interval': '1s',
  timeout: '2m'
})

const node = nodeBinary()
console.log(
  `Emulator: Media Services at ${emu.urls.global} (redirects to ${emu.urls.account}), Entra ID at ${emu.urls.authority}`
)
console.log(`Running: ${node} dist/index.js  (Node ${await nodeVersion(node)})\n`)
const child = spawn(node, [ACTION], { env: run.env, cwd: run.dir, stdio: ['ignore', 'pipe', 'inherit'] })
child.stdout.setEncoding('utf8')
let pending = ''
child.stdout.on('data', chunk => {
  pending += chunk
  const lines = pending.split('\n')
  pending = lines.pop() ?? ''
  // Show the log as the Actions UI would: commands to the runner are not displayed.
  for (const line of lines) if (!line.startsWith('::')) console.log(`  | ${line}`)
})
const code = await new Promise(resolve => child.on('close', resolve))

const { outputs, summary } = run.results()
console.log('\nOutputs (GITHUB_OUTPUT):')
for (const [name, value] of Object.entries(outputs)) console.log(`  ${name} = ${value}`)
console.log('\nStep summary (GITHUB_STEP_SUMMARY):')
console.log(summary.replace(/^/gm, '  '))
console.log(`Exit code: ${code}`)
await emu.close()
run.cleanup()
process.exit(code ?? 1)
