import { defineStore } from 'pinia'
import { reactive, ref } from 'vue'
import { logsApi } from '@/api/endpoints'
import type { LogEntry, LogLevel, LogType } from '@/api/types'
import { useAsync } from '@/composables/useAsync'

export interface LogFilters {
  level: LogLevel | null
  log_type: LogType | null
  job_id: string | null
  run_id: string | null
  device_id: string | null
}

const PAGE_SIZE = 50

export const useLogsStore = defineStore('logs', () => {
  const filters = reactive<LogFilters>({
    level: null,
    log_type: null,
    job_id: null,
    run_id: null,
    device_id: null,
  })
  const items = ref<LogEntry[]>([])
  const nextCursor = ref<string | null>(null)

  const page = useAsync((signal, cursor: string | null) =>
    logsApi.list({ ...filters, limit: PAGE_SIZE, cursor }, signal),
  )

  /** Load the first page for the current filters, replacing what is shown. */
  async function fetchLogs(): Promise<void> {
    const result = await page.execute(null)
    if (!result) return
    items.value = result.items
    nextCursor.value = result.next_cursor
  }

  /** Append the next page (cursor pagination). */
  async function loadMore(): Promise<void> {
    if (!nextCursor.value) return
    const result = await page.execute(nextCursor.value)
    if (!result) return
    items.value = [...items.value, ...result.items]
    nextCursor.value = result.next_cursor
  }

  function setFilters(next: Partial<LogFilters>): Promise<void> {
    Object.assign(filters, next)
    return fetchLogs()
  }

  function clearFilters(): Promise<void> {
    return setFilters({ level: null, log_type: null, job_id: null, run_id: null, device_id: null })
  }

  return { filters, items, nextCursor, page, fetchLogs, loadMore, setFilters, clearFilters }
})
