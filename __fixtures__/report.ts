import type { OutputAsset } from '../src/jobs/model.js'
import type { JobView } from '../src/wait/waiter.js'
import { JOB_A } from './inputs.js'
import { view } from './jobs.js'

/** What the report's tests (outputs, summary) read: finished jobs and the assets they made. */

/** A time on 2024-05-01, UTC: `at('12:00:05')`. */
export const at = (iso: string): Date => new Date(`2024-05-01T${iso}Z`)

/** A v2 job that ran 12:00:05 to 12:02:05, and whose RunningDuration says otherwise. */
export const finishedA = (): JobView =>
  view(
    JOB_A,
    'Finished',
    { progress: 100 },
    { name: 'trailer', runningDuration: 39605, startTime: at('12:00:05'), endTime: at('12:02:05') }
  )

/** A Finished job at 100 % with these output assets. */
export const finishedWith = (id: string, outputAssets?: OutputAsset[]): JobView =>
  view(id, 'Finished', { progress: 100 }, { outputAssets })

/** A v2 output asset, every field given. */
export const V2_ASSET: OutputAsset = {
  id: 'nb:cid:UUID:9a1e0c3b-0000-4000-8000-000000000001',
  name: 'trailer-output',
  storageAccount: 'mediastore',
  uri: 'https://mediastore.blob.core.windows.net/asset-9a1e0c3b'
}

/** Two v3 outputs of a Finished job (`onError: ContinueJob`): one made, one failed. */
export const VIDEO: OutputAsset = { name: 'job4-video', label: 'video', state: 'Finished' }
export const THUMBS: OutputAsset = {
  name: 'job4-thumbnails',
  label: 'thumbnails',
  state: 'Error',
  error: 'ContentUnsupported: There was a problem with the input content. (Content error; DoNotRetry: …)'
}
