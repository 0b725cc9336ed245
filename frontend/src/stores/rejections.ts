import { defineStore } from 'pinia'
import { computed, reactive, ref } from 'vue'
import type { LocationQuery, LocationQueryRaw } from 'vue-router'
import { rejectionsApi } from '@/api/endpoints'
import type { RejectionGroup } from '@/api/busTypes'
import { useAsync } from '@/composables/useAsync'
import { useKeysetPages } from '@/composables/useKeysetPages'
import { filtersFromQuery, filtersToQuery, oneOf, type QueryFields } from '@/router/queryFilters'

/** The filters GET /api/bus/rejections takes, by their API names. */
export interface RejectionFilters {
  /** The subject the refused message was published on. */
  subject: string | null
  /** Who may have sent it. */
  identity: string | null
  /** The service that refused it. */
  service: string | null
}

/** How far back the counts per subject and identity go. */
export const SUMMARY_WINDOWS = [
  { value: '1h', label: 'Last hour', hours: 1 },
  { value: '24h', label: 'Last 24 h', hours: 24 },
  { value: '7d', label: 'Last 7 days', hours: 24 * 7 },
] as const
export type SummaryWindow = (typeof SUMMARY_WINDOWS)[number]['value']
const DEFAULT_WINDOW: SummaryWindow = '24h'

export const REJECTION_QUERY_FIELDS: QueryFields<RejectionFilters & { window: SummaryWindow | null }> = {
  subject: { key: 'subject' },
  identity: { key: 'identity' },
  service: { key: 'service' },
  window: { key: 'window', accepts: oneOf(SUMMARY_WINDOWS.map((w) => w.value)) },
}

const NO_FILTERS: RejectionFilters = { subject: null, identity: null, service: null }
const PAGE_SIZE = 50

/** The window's start: `hours` before `now`, as the ISO instant the summary takes. */
export function windowStart(chosen: SummaryWindow, now: number = Date.now()): string {
  const hours = SUMMARY_WINDOWS.find((w) => w.value === chosen)!.hours
  return new Date(now - hours * 3_600_000).toISOString()
}

export const useRejectionsStore = defineStore('rejections', () => {
  const filters = reactive<RejectionFilters>({ ...NO_FILTERS })
  const summaryWindow = ref<SummaryWindow>(DEFAULT_WINDOW)
  const keyset = useKeysetPages((signal, before: number | null) =>
    rejectionsApi.list({ ...filters, limit: PAGE_SIZE, before }, signal),
  )
  const { items, nextBefore, page, fetchNewest: fetchEvents, loadOlder } = keyset
  const summary = useAsync((signal) => rejectionsApi.summary(windowStart(summaryWindow.value), signal))
  const anyFilter = computed(() => Object.values(filters).some((v) => v !== null))

  function fetchSummary(): Promise<unknown> {
    return summary.execute()
  }

  function refresh(): Promise<unknown> {
    return Promise.all([fetchSummary(), fetchEvents()])
  }

  function setFilters(next: Partial<RejectionFilters>): Promise<void> {
    Object.assign(filters, next)
    return fetchEvents()
  }

  function clearFilters(): Promise<void> {
    return setFilters(NO_FILTERS)
  }

  /** Show the events of one group: its subject and identity, whichever service refused them. */
  function showGroup(group: RejectionGroup): Promise<void> {
    return setFilters({ subject: group.rejected_subject, identity: group.identity, service: null })
  }

  function setWindow(next: SummaryWindow): Promise<unknown> {
    summaryWindow.value = next
    return fetchSummary()
  }

  /** Take the filters and the window from a page URL (without fetching). */
  function applyQuery(query: LocationQuery): void {
    const { window: fromUrl, ...rest } = filtersFromQuery(query, REJECTION_QUERY_FIELDS)
    Object.assign(filters, rest)
    summaryWindow.value = (fromUrl as SummaryWindow | null) ?? DEFAULT_WINDOW
  }

  function toQuery(): LocationQueryRaw {
    const shown = { ...filters, window: summaryWindow.value === DEFAULT_WINDOW ? null : summaryWindow.value }
    return filtersToQuery(shown, REJECTION_QUERY_FIELDS)
  }

  return {
    filters,
    summaryWindow,
    items,
    nextBefore,
    page,
    summary,
    anyFilter,
    fetchEvents,
    loadOlder,
    fetchSummary,
    refresh,
    setFilters,
    clearFilters,
    showGroup,
    setWindow,
    applyQuery,
    toQuery,
  }
})
