import { defineStore } from 'pinia'
import { computed, reactive } from 'vue'
import type { LocationQuery, LocationQueryRaw } from 'vue-router'
import { devicesApi, jobsApi, runsApi } from '@/api/endpoints'
import { RUN_STATUSES, type Run, type RunStatus } from '@/api/types'
import { useAsync } from '@/composables/useAsync'
import type { RunProgress } from '@/composables/useRunStream'
import { filtersFromQuery, filtersToQuery, isUuid, oneOf, type QueryFields } from '@/router/queryFilters'

export interface RunFilters {
  job_id: string | null
  status: RunStatus | null
  /** Text a job's name or a device's hostname contains. */
  q: string | null
}

export const RUN_QUERY_FIELDS: QueryFields<RunFilters> = {
  job_id: { key: 'job', accepts: isUuid },
  status: { key: 'status', accepts: oneOf(RUN_STATUSES) },
  q: { key: 'search' },
}

export const useJobsStore = defineStore('jobs', () => {
  const filters = reactive<RunFilters>({ job_id: null, status: null, q: null })
  const page = reactive({ limit: 20, offset: 0 })

  const summary = useAsync((signal) => jobsApi.status(signal))
  const jobs = useAsync((signal) => jobsApi.list(signal))
  const runs = useAsync((signal) => runsApi.list({ ...filters, ...page }, signal))
  const run = useAsync((signal, id: string) => runsApi.get(id, signal))
  const anyFilter = computed(() => Object.values(filters).some((v) => v !== null))

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

  /** What a run's progress changes: the counts and the runs table (and an open run). */
  function refreshProgress(openRunId: string | null = null): Promise<unknown> {
    const calls: Promise<unknown>[] = [summary.execute(), runs.execute()]
    if (openRunId) calls.push(run.execute(openRunId))
    return Promise.all(calls)
  }

  /** A run's announced progress, shown at once in the runs table and an open run. */
  function applyProgress(progress: RunProgress): void {
    const live = {
      status: progress.status,
      device_count: progress.device_count,
      succeeded: progress.succeeded_count,
      failed: progress.failed_count,
      finished_at: progress.finished_at,
    }
    const page = runs.data.value
    if (page?.items.some((r) => r.id === progress.run_id)) {
      const items = page.items.map((r) => (r.id === progress.run_id ? { ...r, ...live } : r))
      runs.data.value = { ...page, items }
    }
    if (run.data.value?.id === progress.run_id) run.data.value = { ...run.data.value, ...live }
  }

  /** Start the run's work again: its job, or for an ad-hoc run the same check of the same device.
   * Answers the new run's id. */
  async function rerun(source: Run): Promise<string> {
    const started = source.job_id ? await jobsApi.run(source.job_id) : await rerunAdHoc(source)
    void refreshProgress()
    return started.run_id
  }

  // The api starts ad-hoc runs for one device (POST /devices/{id}/backup or /reachability).
  async function rerunAdHoc(source: Run): Promise<{ run_id: string }> {
    const deviceId = (await runsApi.get(source.id)).results[0]?.device_id
    if (!deviceId) throw new Error('This run has no device to run again.')
    return source.kind === 'reachability' ? devicesApi.checkReachability(deviceId) : devicesApi.backup(deviceId)
  }

  async function cancelRun(runId: string): Promise<void> {
    await runsApi.cancel(runId)
    await refreshProgress()
  }

  /** Take the filters from a page URL (without fetching). */
  function applyQuery(query: LocationQuery): void {
    Object.assign(filters, filtersFromQuery(query, RUN_QUERY_FIELDS))
    page.offset = 0
  }

  function toQuery(): LocationQueryRaw {
    return filtersToQuery(filters, RUN_QUERY_FIELDS)
  }

  return {
    filters,
    page,
    summary,
    jobs,
    runs,
    run,
    anyFilter,
    fetchRuns,
    setFilters,
    setPage,
    refresh,
    refreshProgress,
    applyProgress,
    rerun,
    cancelRun,
    applyQuery,
    toQuery,
  }
})
