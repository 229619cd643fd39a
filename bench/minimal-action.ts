/**
 * For scale in bench/polling.js: the least an action built on the parts this one must use (@actions/core,
 * @actions/http-client, bundled by ncc with the same tsconfig) does before its first request: read two inputs
 * and GET the Jobs collection. Nothing else of ams-job-wait is in it.
 */
import * as core from '@actions/core'
import { HttpClient } from '@actions/http-client'

const client = new HttpClient('minimal-action')
void client
  .get(`${core.getInput('api-url')}Jobs()`, { Authorization: `Bearer ${core.getInput('access-token')}` })
  .then(res => res.readBody())
  .finally(() => client.dispose())
