// Preloaded into the action's process (NODE_OPTIONS=--import=<this file>) by an e2e test: the runner's cancel
// (AMS_TEST_SIGNAL, SIGINT or SIGTERM) arrives while the action is still loading its code, at the first chunk
// of dist/ that dist/index.js loads. Only a handler installed before that load can write the ending.
import { register } from 'node:module'

register('./signal-while-loading-hooks.mjs', import.meta.url)
