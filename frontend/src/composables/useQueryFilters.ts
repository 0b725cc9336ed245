// Keeps stores' filters in the page URL: read once when the page opens, written back on every
// change (replace, not push: filtering is not navigation), other query keys left alone.
import { watch } from 'vue'
import { useRoute, useRouter, type LocationQuery, type LocationQueryRaw } from 'vue-router'
import { mergeQuery } from '@/router/queryFilters'

export interface QueryBacked {
  applyQuery: (query: LocationQuery) => void
  toQuery: () => LocationQueryRaw
}

export function useQueryFilters(...sources: QueryBacked[]): void {
  const route = useRoute()
  const router = useRouter()
  for (const source of sources) source.applyQuery(route.query)
  watch(
    () => Object.assign({}, ...sources.map((source) => source.toQuery())) as LocationQueryRaw,
    (next) => void router.replace({ query: mergeQuery(route.query, next) }),
  )
}
