/**
 * Service answers as they were published, one per export, each naming its source. Copied field for field
 * (whitespace and the long `input` blocks trimmed); where no recording exists, the body is shaped from the
 * spec text, and says so. Each has a parse test (__tests__/unit/jobs/v2/parse.test.ts, jobs/v3/parse.test.ts).
 */

const ARM_JOBS =
  '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/contosoresources/providers/Microsoft.Media/mediaservices/contosomedia/transforms/exampleTransform/jobs'

/**
 * Azure/azure-rest-api-specs, specification/mediaservices/resource-manager/Microsoft.Media/Encoding/stable/
 * 2022-07-01/examples/jobs-list-all.json, job2: Processing, the job and its output with a startTime only.
 */
export const ARM_JOB_PROCESSING = JSON.stringify({
  name: 'job2',
  id: `${ARM_JOBS}/job2`,
  type: 'Microsoft.Media/mediaservices/transforms/jobs',
  properties: {
    created: '2022-07-01T00:00:00Z',
    state: 'Processing',
    input: { '@odata.type': '#Microsoft.Media.JobInputs', inputs: [] },
    lastModified: '2022-07-01T00:00:00Z',
    outputs: [
      {
        '@odata.type': '#Microsoft.Media.JobOutputAsset',
        state: 'Processing',
        progress: 50,
        label: 'example-custom-label',
        startTime: '2021-07-12T10:34:29.691737Z',
        assetName: 'job2-OutputAsset'
      }
    ],
    priority: 'Low',
    correlationData: {},
    startTime: '2021-07-12T10:34:29.691737Z'
  },
  systemData: { createdBy: 'contoso@microsoft.com', createdByType: 'User', createdAt: '2022-07-01T00:00:00Z' }
})

/** The same file, job3: Finished, both times on the job and on its output. */
export const ARM_JOB_FINISHED = JSON.stringify({
  name: 'job3',
  id: `${ARM_JOBS}/job3`,
  type: 'Microsoft.Media/mediaservices/transforms/jobs',
  properties: {
    created: '2022-07-01T00:00:00Z',
    state: 'Finished',
    input: { '@odata.type': '#Microsoft.Media.JobInputs', inputs: [] },
    lastModified: '2022-07-01T00:00:00Z',
    outputs: [
      {
        '@odata.type': '#Microsoft.Media.JobOutputAsset',
        state: 'Finished',
        progress: 100,
        label: 'example-custom-label',
        startTime: '2021-07-12T10:34:29.691737Z',
        endTime: '2021-07-12T10:44:29.691737Z',
        assetName: 'job3-OutputAsset'
      }
    ],
    priority: 'Low',
    correlationData: {},
    startTime: '2021-07-12T10:34:29.691737Z',
    endTime: '2021-07-12T10:44:29.691737Z'
  }
})

/**
 * Azure/azure-cli, src/azure-cli/azure/cli/command_modules/ams/tests/latest/recordings/test_ams_job.yaml: the
 * GET after cancelJob. The job is Canceling; its output is still Processing (its own state).
 */
export const ARM_JOB_CANCELING =
  '{\r\n  "name":"job000007","id":"/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/clitest.rg000001/providers/Microsoft.Media/mediaservices/ams000003/transforms/tra000006/jobs/job000007","type":"Microsoft.Media/mediaservices/transforms/jobs","properties":{\r\n    "created":"2020-07-20T20:32:39.127Z","state":"Canceling","description":"someDescription","input":{\r\n      "@odata.type":"#Microsoft.Media.JobInputAsset","files":[\r\n        \r\n      ],"label":"someLabel","assetName":"asset000004"\r\n    },"lastModified":"2020-07-20T20:32:46.07Z","outputs":[\r\n      {\r\n        "@odata.type":"#Microsoft.Media.JobOutputAsset","state":"Processing","progress":0,"label":"outputLabel","startTime":"2020-07-20T20:32:41.463Z","assetName":"asset000005"\r\n      }\r\n    ],"priority":"Low","correlationData":{\r\n      "foo":"bar","baz":"fuzz"\r\n    },"startTime":"2020-07-20T20:32:41.463Z"\r\n  }\r\n}'

/** The same recording: a GET of a job that does not exist (404). */
export const ARM_NOT_FOUND =
  '{\r\n  "error": {\r\n    "code": "NotFound",\r\n    "message": "The requested resource was not found."\r\n  }\r\n}'

/** The same recording: cancelJob answers 200 with an empty body (content-length 0). */
export const ARM_CANCEL_JOB = ''

/**
 * Shaped from the spec text (Encoding.json 2022-07-01: JobOutput.state and JobOutput.error with code,
 * message, category, retry, details; TransformOutput.onError ContinueJob, "the overall Job state will not
 * reflect failures of outputs"), the job and its outputs laid out as in jobs-list-all.json: no recording
 * of a Finished job with a failed output was found.
 */
export const ARM_JOB_FINISHED_OUTPUT_FAILED = JSON.stringify({
  name: 'job4',
  id: `${ARM_JOBS}/job4`,
  type: 'Microsoft.Media/mediaservices/transforms/jobs',
  properties: {
    created: '2022-07-01T00:00:00Z',
    state: 'Finished',
    lastModified: '2022-07-01T00:00:00Z',
    outputs: [
      {
        '@odata.type': '#Microsoft.Media.JobOutputAsset',
        state: 'Finished',
        progress: 100,
        label: 'video',
        startTime: '2021-07-12T10:34:29.691737Z',
        endTime: '2021-07-12T10:44:29.691737Z',
        assetName: 'job4-video'
      },
      {
        '@odata.type': '#Microsoft.Media.JobOutputAsset',
        state: 'Error',
        progress: 0,
        label: 'thumbnails',
        error: {
          code: 'ContentUnsupported',
          message: 'There was a problem with the input content.',
          category: 'Content',
          retry: 'DoNotRetry',
          details: []
        },
        startTime: '2021-07-12T10:34:29.691737Z',
        endTime: '2021-07-12T10:35:01.123456Z',
        assetName: 'job4-thumbnails'
      }
    ],
    priority: 'Normal',
    correlationData: {},
    startTime: '2021-07-12T10:34:29.691737Z',
    endTime: '2021-07-12T10:44:29.691737Z'
  }
})

/**
 * MK.IO's error response as hmcts/pre-api's MkErrorResponse DTO reads it: `{error: {code, detail}, ref,
 * status}`. Shaped from that DTO (no recorded body was found); the values are ours.
 */
export const MKIO_UNAUTHORIZED = JSON.stringify({
  error: { code: 'Unauthorized', detail: 'Invalid or expired API token.' },
  ref: '0f5e2c9a-61a4-4c61-9d8b-3a0e6f1b7c21',
  status: 401
})

/**
 * MicrosoftDocs/azure-docs, articles/media-services/previous/media-services-rest-get-started.md: the Job a
 * POST created, in verbose JSON (dates ISO in UTC with `Z`, 7 fraction digits; StartTime null; State 0).
 */
export const V2_VERBOSE_JOB = JSON.stringify({
  d: {
    __metadata: {
      id: "https://wamsbayclus001rest-hs.cloudapp.net/api/Jobs('nb%3Ajid%3AUUID%3A71d2dd33-efdf-ec43-8ea1-136a110bd42c')",
      uri: "https://wamsbayclus001rest-hs.cloudapp.net/api/Jobs('nb%3Ajid%3AUUID%3A71d2dd33-efdf-ec43-8ea1-136a110bd42c')",
      type: 'Microsoft.Cloud.Media.Vod.Rest.Data.Models.Job'
    },
    Tasks: {
      __deferred: {
        uri: "https://wamsbayclus001rest-hs.cloudapp.net/api/Jobs('nb%3Ajid%3AUUID%3A71d2dd33-efdf-ec43-8ea1-136a110bd42c')/Tasks"
      }
    },
    Id: 'nb:jid:UUID:71d2dd33-efdf-ec43-8ea1-136a110bd42c',
    Name: 'NewTestJob',
    Created: '2015-01-19T08:04:34.3287057Z',
    LastModified: '2015-01-19T08:04:34.3287057Z',
    EndTime: null,
    Priority: 0,
    RunningDuration: 0,
    StartTime: null,
    State: 0,
    TemplateId: null,
    JobNotificationSubscriptions: {
      __metadata: {
        type: 'Collection(Microsoft.Cloud.Media.Vod.Rest.Data.Models.JobNotificationSubscription)'
      },
      results: []
    }
  }
})

/** The same page: a job's OutputMediaAssets, minimal metadata (dates without a zone). */
export const V2_OUTPUT_ASSETS = JSON.stringify({
  'odata.metadata': 'https://wamsbayclus001rest-hs.cloudapp.net/api/$metadata#Assets',
  value: [
    {
      Id: 'nb:cid:UUID:71d2dd33-efdf-ec43-8ea1-136a110bd42c',
      State: 0,
      Created: '2015-01-19T07:52:15.603',
      LastModified: '2015-01-19T07:52:15.603',
      AlternateId: null,
      Name: 'Multibitrate MP4s',
      Options: 0,
      Uri: 'https://storagetestaccount001.blob.core.windows.net/asset-71d2dd33-efdf-ec43-8ea1-136a110bd42c',
      StorageAccountName: 'storagetestaccount001'
    }
  ]
})

/**
 * Shaped from V2_OUTPUT_ASSETS with `Uri` and `StorageAccountName` null, as the Asset entity's nullable
 * properties allow (no recording of such an asset was found).
 */
export const V2_OUTPUT_ASSETS_NULLS = JSON.stringify({
  'odata.metadata': 'https://wamsbayclus001rest-hs.cloudapp.net/api/$metadata#Assets',
  value: [
    {
      Id: 'nb:cid:UUID:71d2dd33-efdf-ec43-8ea1-136a110bd42c',
      State: 0,
      Created: '2015-01-19T07:52:15.603',
      LastModified: '2015-01-19T07:52:15.603',
      AlternateId: null,
      Name: 'Multibitrate MP4s',
      Options: 0,
      Uri: null,
      StorageAccountName: null
    }
  ]
})
