import { defineStore } from 'pinia'
import { computed, reactive, ref } from 'vue'
import type { LocationQuery, LocationQueryRaw } from 'vue-router'
import { devicesApi, logsApi } from '@/api/endpoints'
import type { LogEntry, LogLevel, LogType } from '@/api/logTypes'
import { useAsync } from '@/composables/useAsync'
import {
  filtersFromQuery,
  filtersToQuery,
  isIsoTime,
  isUuid,
  type QueryFields,
} from '@/router/queryFilters'

/** The filters GET /api/logs and the live stream take, by their API names. */
export interface LogFilters {
  level: LogLevel | null
  log_type: LogType | null
  job_id: string | null
  run_id: string | null
  device_id: string | null
  /** ISO 8601: entries at or after. */
  since: string | null
  /** ISO 8601: entries before. */
  until: string | null
  /** Text the message contains. */
  q: string | null
}

/** A level or type as a URL may carry it; whether the API knows it is checked once its list arrives. */
const isVocabularyWord = (value: string): boolean => /^[a-z_]{1,40}$/.test(value)

/** Where each filter lives in the page URL (names that do not clash with the runs table's). */
export const LOG_QUERY_FIELDS: QueryFields<LogFilters> = {
  level: { key: 'level', accepts: isVocabularyWord },
  log_type: { key: 'log_type', accepts: isVocabularyWord },
  job_id: { key: 'log_job', accepts: isUuid },
  run_id: { key: 'log_run', accepts: isUuid },
  device_id: { key: 'device', accepts: isUuid },
  since: { key: 'from', accepts: isIsoTime },
  until: { key: 'to', accepts: isIsoTime },
  q: { key: 'text' },
}

const NO_FILTERS: LogFilters = {
  level: null,
  log_type: null,
  job_id: null,
  run_id: null,
  device_id: null,
  since: null,
  until: null,
  q: null,
}

const PAGE_SIZE = 50
/** Live lines are added at the top; past this many rows the oldest are dropped ("Load older" brings them back). */
export const MAX_ROWS = 1000

export const useLogsStore = defineStore('logs', () => {
  const filters = reactive<LogFilters>({ ...NO_FILTERS })
  const items = ref<LogEntry[]>([])
  const nextCursor = ref<string | null>(null)
  /** Ids of lines that arrived live, to highlight them. */
  const fresh = ref(new Set<number>())
  /** Counts first-page loads: the live stream restarts after each. */
  const reloads = ref(0)

  const page = useAsync((signal, cursor: string | null) =>
    logsApi.list({ ...filters, limit: PAGE_SIZE, cursor }, signal),
  )
  // Hostnames for the device filter and column; enough for a filter list (a device beyond it
  // shows by id and can still be set from its page or the URL).
  const devices = useAsync((signal) => devicesApi.list({ limit: 500, sort: 'hostname' }, signal))
  const hostnames = computed(() => new Map((devices.data.value?.items ?? []).map((d) => [d.id, d.hostname])))
  // The level and type choices, asked of the API once per page load: the vocabularies rarely change.
  const levels = useAsync((signal) => logsApi.levels(signal))
  const types = useAsync((signal) => logsApi.types(signal))
  const levelChoices = computed(() => choices(levels.data.value, filters.level, (e) => e.level))
  const typeChoices = computed(() => choices(types.data.value, filters.log_type, (e) => e.log_type))
  const choicesError = computed(() => levels.error.value ?? types.error.value)
  const anyFilter = computed(() => Object.values(filters).some((v) => v !== null))
  const newestId = computed(() => items.value[0]?.id ?? null)

  /**
   * Until (or unless) the API lists a vocabulary, offer the words the shown lines and the
   * current filter use, so the filter still works and shows what is set.
   */
  function choices<T extends string>(
    listed: { value: T }[] | null,
    current: T | null,
    wordOf: (entry: LogEntry) => T,
  ): T[] {
    if (listed) return listed.map((entry) => entry.value)
    return [...new Set([...(current ? [current] : []), ...items.value.map(wordOf)])]
  }

  /** Fetch the level and type lists unless already held or on their way; drop a filter the API does not know. */
  async function loadChoices(): Promise<void> {
    const missing = [levels, types].filter((state) => !state.data.value && !state.loading.value)
    await Promise.all(missing.map((state) => state.execute()))
    const unknown: Partial<LogFilters> = {}
    if (levels.data.value && filters.level && !levelChoices.value.includes(filters.level)) unknown.level = null
    if (types.data.value && filters.log_type && !typeChoices.value.includes(filters.log_type)) unknown.log_type = null
    if (Object.keys(unknown).length > 0) await setFilters(unknown)
  }

  /** Load the first page for the current filters, replacing what is shown. */
  async function fetchLogs(): Promise<void> {
    const result = await page.execute(null)
    if (!result) return
    items.value = result.items
    nextCursor.value = result.next_cursor
    fresh.value = new Set()
    reloads.value++
  }

  /** Append the next, older page (keyset pagination on id). */
  async function loadOlder(): Promise<void> {
    if (!nextCursor.value) return
    const result = await page.execute(nextCursor.value)
    if (!result) return
    const known = new Set(items.value.map((e) => e.id))
    items.value = [...items.value, ...result.items.filter((e) => !known.has(e.id))]
    nextCursor.value = result.next_cursor
  }

  /** Lines from the live stream: on top, each once, with the oldest dropped past MAX_ROWS. */
  function addLive(...entries: LogEntry[]): void {
    const known = new Set(items.value.map((e) => e.id))
    const added = entries.filter((e) => !known.has(e.id) && known.add(e.id))
    if (added.length === 0) return
    const next = [...added, ...items.value].sort((a, b) => b.id - a.id)
    if (next.length > MAX_ROWS) {
      next.length = MAX_ROWS
      nextCursor.value = String(next[next.length - 1]!.id)
    }
    items.value = next
    fresh.value = new Set([...fresh.value, ...added.map((e) => e.id)])
  }

  function setFilters(next: Partial<LogFilters>): Promise<void> {
    Object.assign(filters, next)
    return fetchLogs()
  }

  function clearFilters(): Promise<void> {
    return setFilters(NO_FILTERS)
  }

  /** Take the filters from a page URL (without fetching). */
  function applyQuery(query: LocationQuery): void {
    Object.assign(filters, filtersFromQuery(query, LOG_QUERY_FIELDS))
  }

  function toQuery(): LocationQueryRaw {
    return filtersToQuery(filters, LOG_QUERY_FIELDS)
  }

  return {
    filters,
    items,
    nextCursor,
    fresh,
    reloads,
    page,
    devices,
    hostnames,
    levels,
    types,
    levelChoices,
    typeChoices,
    choicesError,
    anyFilter,
    newestId,
    fetchLogs,
    loadChoices,
    loadOlder,
    addLive,
    setFilters,
    clearFilters,
    applyQuery,
    toQuery,
  }
})
