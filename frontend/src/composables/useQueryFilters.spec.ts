import { flushPromises, mount } from '@vue/test-utils'
import { describe, expect, it } from 'vitest'
import { defineComponent, h, reactive } from 'vue'
import { createMemoryHistory, createRouter, type LocationQuery } from 'vue-router'
import { filtersFromQuery, filtersToQuery, type QueryFields } from '@/router/queryFilters'
import { useQueryFilters } from './useQueryFilters'

interface Filters {
  level: string | null
  q: string | null
}
const FIELDS: QueryFields<Filters> = { level: { key: 'level', accepts: (v) => v === 'error' }, q: { key: 'text' } }

function source() {
  const filters = reactive<Filters>({ level: null, q: null })
  return {
    filters,
    applyQuery: (query: LocationQuery) => Object.assign(filters, filtersFromQuery(query, FIELDS)),
    toQuery: () => filtersToQuery(filters, FIELDS),
  }
}

async function openAt(url: string) {
  const filters = source()
  const Page = defineComponent({
    setup() {
      useQueryFilters(filters)
      return () => h('div')
    },
  })
  const router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/', component: Page }] })
  await router.push(url)
  mount({ render: () => h('div', [h(Page)]) }, { global: { plugins: [router] } })
  await flushPromises()
  return { filters: filters.filters, router }
}

describe('useQueryFilters', () => {
  it('takes acceptable filters from the URL when the page opens', async () => {
    const { filters } = await openAt('/?level=error&text=ssh&tab=logs')
    expect({ ...filters }).toEqual({ level: 'error', q: 'ssh' })
  })

  it('ignores values the page cannot use', async () => {
    const { filters } = await openAt('/?level=loud')
    expect(filters.level).toBeNull()
  })

  it('writes changes back, keeping the keys it does not own and dropping cleared ones', async () => {
    const { filters, router } = await openAt('/?level=error&tab=logs&run=abc')

    filters.q = 'timeout'
    filters.level = null
    await flushPromises()

    expect(router.currentRoute.value.query).toEqual({ tab: 'logs', run: 'abc', text: 'timeout' })
  })
})
