// A burst of log lines about runs refreshes the summary and the runs table once, not per line,
// and at least every few seconds while lines keep coming.
import { useDebounceFn } from '@vueuse/core'
import type { LogEntry } from '@/api/logTypes'
import { useJobsStore } from '@/stores/jobs'

export const RUN_REFRESH_DEBOUNCE_MS = 800
export const RUN_REFRESH_MAX_WAIT_MS = 3000

export function useRunsRefreshOnLogs(openRunId: () => string | null) {
  const jobs = useJobsStore()
  const refresh = useDebounceFn(() => jobs.refreshProgress(openRunId()), RUN_REFRESH_DEBOUNCE_MS, {
    maxWait: RUN_REFRESH_MAX_WAIT_MS,
  })

  return function onLogEntry(entry: LogEntry): void {
    if (entry.run_id) void refresh()
  }
}
