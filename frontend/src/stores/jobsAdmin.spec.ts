import { beforeEach, describe, expect, it } from 'vitest'
import type { JobInput } from '@/api/jobsAdmin'
import { freshPinia, jsonResponse, mockFetch } from '@/test/helpers'
import { useJobsAdminStore } from './jobsAdmin'

const JOB = {
  id: 'j1',
  name: 'Nightly core',
  kind: 'backup',
  device_ids: [],
  tags: ['core'],
  schedule: { type: 'cron', expression: '0 2 * * *', timezone: 'UTC', start_at: null, end_at: null },
  enabled: true,
  created_at: '2026-01-01T00:00:00Z',
}
const OTHER = { ...JOB, id: 'j2', name: 'Never ran' }
const RUN = { id: 'r1', job_id: 'j1', job_name: 'Nightly core', status: 'succeeded', created_at: '2026-01-02T02:00:00Z' }
const INPUT: JobInput = {
  name: 'Nightly core',
  kind: 'reachability',
  device_ids: [],
  tags: ['core'],
  inventory_source_id: null,
  schedule: { type: 'manual' },
  enabled: true,
}

beforeEach(() => freshPinia())

describe('useJobsAdminStore', () => {
  it('loads the jobs and the newest run of each', async () => {
    const fetchMock = mockFetch(
      jsonResponse({ items: [JOB, OTHER], total: 2 }),
      jsonResponse({ items: [RUN], total: 7 }),
      jsonResponse({ items: [], total: 0 }),
    )
    const store = useJobsAdminStore()
    await store.fetchJobs()

    expect(store.list.data?.items.map((j) => j.name)).toEqual(['Nightly core', 'Never ran'])
    expect(store.latestRuns).toEqual({ j1: RUN, j2: null })
    expect(fetchMock.mock.calls.map(([url]) => url)).toEqual([
      '/api/jobs',
      '/api/jobs/j1/runs?limit=1',
      '/api/jobs/j2/runs?limit=1',
    ])
  })

  it('creates with POST and changes with PATCH, then re-reads the list', async () => {
    const fetchMock = mockFetch(
      jsonResponse(JOB, 201),
      jsonResponse({ items: [], total: 0 }),
      jsonResponse(JOB),
      jsonResponse({ items: [], total: 0 }),
    )
    const store = useJobsAdminStore()
    await store.save(null, INPUT)
    await store.save('j1', INPUT)

    const [createUrl, create] = fetchMock.mock.calls[0]!
    expect([createUrl, create?.method]).toEqual(['/api/jobs', 'POST'])
    expect(JSON.parse(String(create?.body))).toEqual(INPUT)
    const [updateUrl, update] = fetchMock.mock.calls[2]!
    expect([updateUrl, update?.method]).toEqual(['/api/jobs/j1', 'PATCH'])
  })

  it('hands a refused save back with the API reason', async () => {
    mockFetch(jsonResponse({ error: "a job named 'Nightly core' already exists", detail: null }, 409))
    const store = useJobsAdminStore()
    await expect(store.save(null, INPUT)).rejects.toMatchObject({
      status: 409,
      message: "a job named 'Nightly core' already exists",
    })
  })

  it('runs a job now and resolves to the run id', async () => {
    const fetchMock = mockFetch(jsonResponse({ run_id: 'run-42' }, 202), jsonResponse({ items: [], total: 0 }))
    const store = useJobsAdminStore()
    await expect(store.runNow('j1')).resolves.toBe('run-42')
    expect(fetchMock.mock.calls[0]![0]).toBe('/api/jobs/j1/run')
  })

  it('enables or disables with a PATCH of that field alone', async () => {
    const fetchMock = mockFetch(jsonResponse({ ...JOB, enabled: false }), jsonResponse({ items: [], total: 0 }))
    const store = useJobsAdminStore()
    await store.setEnabled(JOB as never, false)
    expect(JSON.parse(String(fetchMock.mock.calls[0]![1]?.body))).toEqual({ enabled: false })
  })
})
