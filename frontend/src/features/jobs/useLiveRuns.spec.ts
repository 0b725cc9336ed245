import { flushPromises } from '@vue/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { defineComponent, h } from 'vue'
import type { Page, Run } from '@/api/types'
import { useJobsStore } from '@/stores/jobs'
import { stubEventSource } from '@/test/fakeEventSource'
import { freshPinia, jsonResponse, mountWithPrime } from '@/test/helpers'
import { RUN_REFRESH_DEBOUNCE_MS, useLiveRuns } from './useLiveRuns'

const SUMMARY = {
  total_jobs: 1,
  window_hours: 24,
  total_runs: 1,
  running: 1,
  succeeded: 0,
  failed: 0,
  cancelled: 0,
}
const ROW = {
  id: 'r1',
  status: 'queued',
  device_count: 3,
  succeeded: 0,
  failed: 0,
  finished_at: null,
}

function setup() {
  const sources = stubEventSource()
  const paths: string[] = []
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string) => {
      const path = new URL(url, 'http://x').pathname
      paths.push(path)
      if (path === '/api/logs/stream-token') return jsonResponse({ token: 't', expires_in: 60 })
      if (path === '/api/jobs/status') return jsonResponse(SUMMARY)
      return jsonResponse({ items: [ROW], total: 1 })
    }),
  )
  const pinia = freshPinia()
  const jobs = useJobsStore()
  jobs.runs.data = { items: [ROW], total: 1 } as unknown as Page<Run>
  const Page = defineComponent({ setup: () => (useLiveRuns(() => null), () => h('div')) })
  const wrapper = mountWithPrime(Page, pinia)
  return { sources, paths, jobs, wrapper }
}

const announcement = {
  run_id: 'r1',
  job_id: null,
  kind: 'backup',
  status: 'running',
  device_count: 3,
  succeeded_count: 2,
  failed_count: 1,
  started_at: '2026-12-06T04:40:01Z',
  finished_at: null,
  occurred_at: '2026-12-06T04:40:12Z',
}

describe('useLiveRuns', () => {
  afterEach(() => vi.useRealTimers())

  it('shows an announced run at once, then reads counts and table once per burst', async () => {
    vi.useFakeTimers()
    const { sources, paths, jobs } = setup()
    await vi.advanceTimersByTimeAsync(RUN_REFRESH_DEBOUNCE_MS) // the read when the stream opens
    paths.length = 0

    for (let i = 0; i < 5; i++) sources[0]!.send('run', announcement)
    const row = jobs.runs.data!.items[0]!
    expect([row.status, row.succeeded, row.failed]).toEqual(['running', 2, 1])
    await vi.advanceTimersByTimeAsync(RUN_REFRESH_DEBOUNCE_MS)
    await flushPromises()

    expect(paths).toEqual(['/api/jobs/status', '/api/runs'])
  })

  it('closes the run stream when the page goes away', async () => {
    const { sources, wrapper } = setup()
    await flushPromises()
    wrapper.unmount()
    expect(sources[0]!.closed).toBe(true)
  })
})
