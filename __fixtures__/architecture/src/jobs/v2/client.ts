import type { Job } from '../model.js'

export const JOBS_PER_REQUEST = 10
export type V2Job = Job
