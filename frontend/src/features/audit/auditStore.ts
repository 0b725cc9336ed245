import { defineStore } from 'pinia'
import { computed, reactive, ref } from 'vue'
import type { LocationQuery, LocationQueryRaw } from 'vue-router'
import { useAsync } from '@/composables/useAsync'
import { filtersFromQuery, filtersToQuery, isIsoTime, oneOf, type QueryFields } from '@/router/queryFilters'
import { AUDIT_OUTCOMES, auditApi, type AuditEntry, type AuditFilters } from './auditApi'

export const AUDIT_QUERY_FIELDS: QueryFields<AuditFilters> = {
  actor: { key: 'actor' },
  action: { key: 'action' },
  object_type: { key: 'object_type' },
  outcome: { key: 'outcome', accepts: oneOf(AUDIT_OUTCOMES) },
  since: { key: 'since', accepts: isIsoTime },
  until: { key: 'until', accepts: isIsoTime },
}

const NO_FILTERS: AuditFilters = { actor: null, action: null, object_type: null, outcome: null, since: null, until: null }
const PAGE_SIZE = 100

export const useAuditStore = defineStore('audit', () => {
  const filters = reactive<AuditFilters>({ ...NO_FILTERS })
  const items = ref<AuditEntry[]>([])
  const nextBefore = ref<string | null>(null)

  const page = useAsync((signal, before: string | null) =>
    auditApi.list({ ...filters, limit: PAGE_SIZE, before }, signal),
  )
  const anyFilter = computed(() => Object.values(filters).some((v) => v !== null))

  /** Load the newest page for the current filters, replacing what is shown. */
  async function fetchEntries(): Promise<void> {
    const result = await page.execute(null)
    if (!result) return
    items.value = result.items
    nextBefore.value = result.next_before
  }

  /** Append the next, older page (keyset pagination on time and id). */
  async function loadOlder(): Promise<void> {
    if (nextBefore.value === null) return
    const result = await page.execute(nextBefore.value)
    if (!result) return
    const known = new Set(items.value.map((e) => e.id))
    items.value = [...items.value, ...result.items.filter((e) => !known.has(e.id))]
    nextBefore.value = result.next_before
  }

  function setFilters(next: Partial<AuditFilters>): Promise<void> {
    Object.assign(filters, next)
    return fetchEntries()
  }

  function clearFilters(): Promise<void> {
    return setFilters(NO_FILTERS)
  }

  /** Take the filters from a page URL (without fetching). */
  function applyQuery(query: LocationQuery): void {
    Object.assign(filters, filtersFromQuery(query, AUDIT_QUERY_FIELDS))
  }

  function toQuery(): LocationQueryRaw {
    return filtersToQuery(filters, AUDIT_QUERY_FIELDS)
  }

  return { filters, items, nextBefore, page, anyFilter, fetchEntries, loadOlder, setFilters, clearFilters, applyQuery, toQuery }
})
