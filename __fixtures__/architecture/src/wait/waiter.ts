// Breaks wait-knows-no-client: the waiter reaches for a client's constant.
import { JOBS_PER_REQUEST } from '../jobs/v2/client.js'

export const perPoll = JOBS_PER_REQUEST
