import { defineStore } from 'pinia'
import { reactive } from 'vue'
import { jobsApi, runsApi } from '@/api/endpoints'
import type { RunStatus } from '@/api/types'
import { useAsync } from '@/composables/useAsync'

export interface RunFilters {
  job_id: string | null
  status: RunStatus | null
}

export const useJobsStore = defineStore('jobs', () => {
  const filters = reactive<RunFilters>({ job_id: null, status: null })
  const page = reactive({ limit: 20, offset: 0 })

  const summary = useAsync((signal) => jobsApi.status(signal))
  const jobs = useAsync((signal) => jobsApi.list(signal))
  const runs = useAsync((signal) => runsApi.list({ ...filters, ...page }, signal))
  const run = useAsync((signal, id: string) => runsApi.get(id, signal))

  function fetchRuns(): Promise<unknown> {
    return runs.execute()
  }

  function setFilters(next: Partial<RunFilters>): Promise<unknown> {
    Object.assign(filters, next)
    page.offset = 0
    return fetchRuns()
  }

  function setPage(offset: number, limit = page.limit): Promise<unknown> {
    page.offset = offset
    page.limit = limit
    return fetchRuns()
  }

  /** Re-fetch everything the dashboard shows. */
  function refresh(): Promise<unknown> {
    return Promise.all([summary.execute(), runs.execute(), jobs.execute()])
  }

  return { filters, page, summary, jobs, runs, run, fetchRuns, setFilters, setPage, refresh }
})
