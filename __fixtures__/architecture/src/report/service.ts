// Breaks report-is-pure: report/ reaches into a job API's folder, any API's.
import { perQuery } from '../jobs/v4/client.js'

export const perPage = perQuery
