import { defineStore } from 'pinia'
import { computed, reactive } from 'vue'
import type { LocationQuery, LocationQueryRaw } from 'vue-router'
import { useKeysetPages } from '@/composables/useKeysetPages'
import { filtersFromQuery, filtersToQuery, isIsoTime, oneOf, type QueryFields } from '@/router/queryFilters'
import { AUDIT_OUTCOMES, auditApi, type AuditFilters } from '@/api/audit'

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
  const keyset = useKeysetPages((signal, before: string | null) =>
    auditApi.list({ ...filters, limit: PAGE_SIZE, before }, signal),
  )
  const { items, nextBefore, page, fetchNewest: fetchEntries, loadOlder } = keyset
  const anyFilter = computed(() => Object.values(filters).some((v) => v !== null))

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
