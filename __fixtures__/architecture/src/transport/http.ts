// Breaks transport-knows-no-job, with a type import alone: a type is a dependency too.
import type { Job } from '../jobs/model.js'

export type Body = Job
