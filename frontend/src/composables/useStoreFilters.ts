// A filter bar edits a store's filters; each control binds one filter through these.
import { watchDebounced } from '@vueuse/core'
import { computed, reactive, ref, watch, type Ref, type WritableComputedRef } from 'vue'

/** What a filter bar needs of a store: its filters, and the call that sets some and re-queries. */
export interface FilterStore<F extends object> {
  filters: F
  setFilters(next: Partial<F>): unknown
}

/** One filter as a v-model: it reads the store's value; setting it re-queries. */
export function filterModel<F extends object, K extends keyof F>(
  store: FilterStore<F>,
  key: K,
): WritableComputedRef<F[K]> {
  return computed({
    get: () => store.filters[key],
    set: (value) => void store.setFilters({ [key]: value } as unknown as Partial<F>),
  })
}

/** Every filter as a v-model (`v-model="filter.level"`): reading reads the store; setting
 * re-queries. */
export function filterModels<F extends object>(store: FilterStore<F>): F {
  const keys = Object.keys(store.filters) as (keyof F)[]
  return reactive(Object.fromEntries(keys.map((key) => [key, filterModel(store, key)]))) as F
}

/** A text filter's box: sent trimmed (empty as null) once typing pauses; follows the store's
 * value. */
export function debouncedFilterText<K extends string>(
  store: FilterStore<Record<K, string | null>>,
  key: K,
): Ref<string> {
  const text = ref(store.filters[key] ?? '')
  watch(
    () => store.filters[key],
    (value) => (text.value = value ?? ''),
  )
  watchDebounced(
    text,
    (value) => {
      const next = value.trim() || null
      if (next === store.filters[key]) return
      void store.setFilters({ [key]: next } as Partial<Record<K, string | null>>)
    },
    { debounce: 350 },
  )
  return text
}
