import type { JobApi } from './api.js'
import { mediaServicesV2 } from './v2/api.js'
import { v3Jobs } from './v3/api.js'

/**
 * The job APIs the action knows, each described once in its own folder. Adding one is a folder under jobs/
 * and a line here (docs/development.md).
 */
export const JOB_APIS: readonly JobApi[] = [mediaServicesV2, v3Jobs]
