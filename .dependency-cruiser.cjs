// The architecture of src/, as rules a reader can check against the code. `npm run lint` runs it
// (depcruise src), and any circle or forbidden direction fails the lint. Type imports count: a type is a
// dependency too. The picture: docs/architecture.md (npm run docs draws it from this same cruise).
//
//   index -> main -> settings, auth, jobs, wait, report        (main wires the parts; nothing else does)
//   runtime.ts  the runner (or a test) the action runs in: index and main use it
//   settings/   the common inputs, and the choice of a job API from the registry; no part imports settings
//   auth/       token sources; uses transport/
//   jobs/<api>/ one folder per job API (v2, v3): its inputs, URLs, headers, wording, parsing, client and its
//               descriptor (api.ts); each stands on jobs/guarded.ts and transport/, never on another API
//   jobs/apis.ts                       the registry: the one file that names every API
//   jobs/api.ts, model.ts, source.ts   the descriptor, the Job model and the JobSource interface
//   jobs/guarded.ts                    the guarded token exchange every job client is built on
//   wait/       the waiter, the pure scheduler and what follows the wait: knows JobSource, never a client
//   report/     outputs, annotation, summary, log lines: pure functions of the wait's result
//   transport/  the bounded exchange, retries, the pool, trust, per-call limits: knows no job and no input
//   errors, text, time, logger, clouds, values   the floor: every folder may use it; it uses nothing above it
const FLOOR = '^src/(errors|text|time|logger|clouds|values)[.]ts$'
const PARTS = '^src/(auth|transport|jobs|wait|report)/'
/** Any one job API's folder, and the files of jobs/ that know them: a client's, never wait's or report's. */
const CLIENTS = '^src/jobs/([^/]+/|(guarded|apis)[.]ts$)'

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
      name: 'only-entry-uses-runtime',
      comment: 'runtime.ts is the runner the action runs in: index.ts and main.ts use it, no part does.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/(index|main)[.]ts$' },
      to: { path: '^src/runtime[.]ts$' }
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
        'errors, text, time, logger, clouds and values are the floor every folder may use; they use nothing above them.',
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
      name: 'job-apis-apart',
      comment:
        'Each job API (a folder under jobs/) shares jobs/guarded.ts, transport/ and the job model, never another API, nor the registry.',
      severity: 'error',
      from: { path: '^src/jobs/([^/]+)/' },
      to: { path: ['^src/jobs/[^/]+/', '^src/jobs/apis[.]ts$'], pathNot: '^src/jobs/$1/' }
    },
    {
      name: 'job-model-stands-on-the-floor',
      comment:
        'jobs/api.ts, model.ts, source.ts and guarded.ts name no API: only the registry (apis.ts) knows them all.',
      severity: 'error',
      from: { path: '^src/jobs/[^/]+[.]ts$', pathNot: '^src/jobs/apis[.]ts$' },
      to: { path: ['^src/jobs/[^/]+/', '^src/jobs/apis[.]ts$', '^src/(auth|wait|report|settings)/'] }
    },
    {
      name: 'wait-knows-no-client',
      comment:
        'wait/ knows the JobSource interface and the Job model, never a client, a token or a transport; of transport/ only the per-call limits and the pool.',
      severity: 'error',
      from: { path: '^src/wait/' },
      to: {
        path: [CLIENTS, '^src/(auth|transport|report|settings)/'],
        pathNot: '^src/transport/(call|pool)[.]ts$'
      }
    },
    {
      name: 'report-is-pure',
      comment: 'report/ turns the wait result into outputs and text: no client, token or transport.',
      severity: 'error',
      from: { path: '^src/report/' },
      to: { path: [CLIENTS, '^src/(auth|transport|settings)/'] }
    },
    {
      name: 'parts-never-wire',
      comment: 'A part never reaches up to index or main.',
      severity: 'error',
      from: { path: PARTS },
      to: { path: '^src/(index|main|runtime)[.]ts$' }
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
      dot: { collapsePattern: '^src/(settings|auth|transport|jobs/[^/]+|wait|report)/' }
    }
  }
}
