import { describe, expect, it } from 'vitest'
import type { Page, Run, RunDetail } from '@/api/types'
import { makeRunProgress } from '@/test/fixtures'
import { freshPinia, jsonResponse, mockFetch } from '@/test/helpers'
import { useJobsStore } from './jobs'

const JOB = '3f2b8c1e-4a5d-4e6f-8a9b-0c1d2e3f4a5b'

describe('jobs store', () => {
  it('round-trips the runs filters through the URL and drops unknown statuses', () => {
    freshPinia()
    const jobs = useJobsStore()

    jobs.applyQuery({ job: JOB, status: 'cancelled', search: 'edge', level: 'error' })
    expect({ ...jobs.filters }).toEqual({ job_id: JOB, status: 'cancelled', q: 'edge' })
    expect(jobs.toQuery()).toEqual({ job: JOB, status: 'cancelled', search: 'edge' })

    jobs.applyQuery({ status: 'exploded' })
    expect({ ...jobs.filters }).toEqual({ job_id: null, status: null, q: null })
  })

  it('sends the text filter as q and starts again from the first page', async () => {
    freshPinia()
    const jobs = useJobsStore()
    jobs.page.offset = 40
    const fetch = mockFetch(jsonResponse({ items: [], total: 0 }))

    await jobs.setFilters({ q: 'lab-rtr' })

    const params = new URL(String(fetch.mock.calls[0]![0]), 'http://x').searchParams
    expect(params.get('q')).toBe('lab-rtr')
    expect(params.get('offset')).toBe('0')
  })

  it('refreshes the counts, the table and the open run for run progress', async () => {
    freshPinia()
    const jobs = useJobsStore()
    const fetch = mockFetch(
      jsonResponse({ total_jobs: 1, window_hours: 24, total_runs: 1, running: 1, succeeded: 0, failed: 0, cancelled: 0 }),
      jsonResponse({ items: [], total: 0 }),
      jsonResponse({ id: 'r1', results: [] }),
    )

    await jobs.refreshProgress('r1')

    const paths = fetch.mock.calls.map((call) => new URL(String(call[0]), 'http://x').pathname)
    expect(paths).toEqual(['/api/jobs/status', '/api/runs', '/api/runs/r1'])
  })

  it('shows announced progress at once in the table and the open run, and no other', () => {
    freshPinia()
    const jobs = useJobsStore()
    const row = (id: string) => ({
      id,
      status: 'queued',
      device_count: 2,
      succeeded: 0,
      failed: 0,
      finished_at: null,
    })
    jobs.runs.data = { items: [row('r1'), row('r2')], total: 2 } as unknown as Page<Run>
    jobs.run.data = { ...row('r1'), results: [] } as unknown as RunDetail

    jobs.applyProgress(makeRunProgress())

    const [first, second] = jobs.runs.data!.items
    expect([first!.status, first!.succeeded, second!.status]).toEqual(['running', 1, 'queued'])
    expect(jobs.run.data!.status).toBe('running')
  })
})
