// The architecture of src/, as rules a reader can check against the code. `npm run lint` runs it
// (depcruise src), and any circle or forbidden direction fails the lint. Type imports count: a type is a
// dependency too. The picture: docs/architecture.md (npm run docs draws it from this same cruise).
//
//   index -> main -> settings, auth, jobs, wait, report        (main wires the parts; nothing else does)
//   settings/   inputs translated into the option types the parts define; no part imports settings
//   auth/       token sources; uses transport/
//   jobs/v2, jobs/v3   each API's URLs, headers, wording, parsing; both stand on transport/, never on each other
//   jobs/model.ts, jobs/source.ts   the Job model and the JobSource interface: what wait/ knows of jobs
//   wait/       the waiter and the pure scheduler: knows jobs/model and jobs/source, never a client
//   report/     outputs, annotation, summary, log lines: pure functions of the wait's result
//   transport/  the bounded exchange, retries, the pool, the guarded token exchange: knows no job
//   errors.ts, text.ts, time.ts, logger.ts   the floor: every folder may use it; it uses nothing above it
const FLOOR = '^src/(errors|text|time|logger)[.]ts$'
const PARTS = '^src/(auth|transport|jobs|wait|report)/'

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circle',
      comment:
        'No circle of imports, type imports included: each part can be read and tested below the ones that use it.',
      severity: 'error',
      from: {},
      to: { circular: true }
    },
    {
      name: 'only-main-reads-settings',
      comment: 'settings/ translates inputs into the option types the parts define; only main hands them on.',
      severity: 'error',
      from: { path: '^src/', pathNot: ['^src/main[.]ts$', '^src/settings/'] },
      to: { path: '^src/settings/' }
    },
    {
      name: 'only-index-runs-main',
      comment: 'main.ts is the wiring: it is started by index.ts and used by nothing else.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/index[.]ts$' },
      to: { path: '^src/main[.]ts$' }
    },
    {
      name: 'floor-stands-alone',
      comment:
        'errors, text, time and logger are the floor every folder may use; they use nothing above them.',
      severity: 'error',
      from: { path: FLOOR },
      to: { path: '^src/', pathNot: FLOOR }
    },
    {
      name: 'transport-knows-no-job',
      comment: 'transport/ moves bytes and guards the token for any client; it knows no job, API or setting.',
      severity: 'error',
      from: { path: '^src/transport/' },
      to: { path: '^src/(jobs|wait|report|auth|settings)/' }
    },
    {
      name: 'auth-knows-no-job',
      comment: 'auth/ gets tokens over transport/; it knows nothing of jobs, waiting or reporting.',
      severity: 'error',
      from: { path: '^src/auth/' },
      to: { path: '^src/(jobs|wait|report|settings)/' }
    },
    {
      name: 'v2-and-v3-apart',
      comment: 'Media Services v2 and v3-shaped jobs share transport/ and the job model, never each other.',
      severity: 'error',
      from: { path: '^src/jobs/(v2|v3)/' },
      to: { path: '^src/jobs/(v2|v3)/', pathNot: '^src/jobs/$1/' }
    },
    {
      name: 'job-model-stands-on-the-floor',
      comment: 'jobs/model.ts and jobs/source.ts are what wait/ and report/ know of jobs: no client, no API.',
      severity: 'error',
      from: { path: '^src/jobs/[^/]+[.]ts$' },
      to: { path: '^src/(jobs/(v2|v3)|auth|wait|report|settings)/' }
    },
    {
      name: 'wait-knows-no-client',
      comment:
        'wait/ knows the JobSource interface and the Job model, never a client, a token or a transport.',
      severity: 'error',
      from: { path: '^src/wait/' },
      to: { path: '^src/(jobs/(v2|v3)|auth|transport|report|settings)/' }
    },
    {
      name: 'report-is-pure',
      comment: 'report/ turns the wait result into outputs and text: no client, token or transport.',
      severity: 'error',
      from: { path: '^src/report/' },
      to: { path: '^src/(jobs/(v2|v3)|auth|transport|settings)/' }
    },
    {
      name: 'parts-never-wire',
      comment: 'A part never reaches up to index or main.',
      severity: 'error',
      from: { path: PARTS },
      to: { path: '^src/(index|main)[.]ts$' }
    },
    {
      name: 'no-bundle-stubs',
      comment:
        'undici and @actions/exec are left out of the bundle: tsconfig paths send them to build/stubs/, which would silently capture our own import of either. Only the packages that import them may.',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: ['(^|/)build/stubs/', '(^|/)node_modules/(undici|@actions/exec)/'] }
    },
    {
      name: 'no-unresolvable',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true }
    }
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default']
    },
    reporterOptions: {
      mermaid: { minify: false },
      dot: { collapsePattern: '^src/(settings|auth|transport|jobs/v2|jobs/v3|wait|report)/' }
    }
  }
}
