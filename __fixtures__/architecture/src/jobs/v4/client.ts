// Breaks job-apis-apart: a third API folder reaches into another API's (the rule names no folder).
import { JOBS_PER_REQUEST } from '../v2/client.js'

export const perQuery = JOBS_PER_REQUEST
