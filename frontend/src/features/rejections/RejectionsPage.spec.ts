import { flushPromises } from '@vue/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createMemoryHistory, createRouter } from 'vue-router'
import type { RejectionPage, RejectionSummary } from '@/api/busTypes'
import { makeRejectedEvent } from '@/test/fixtures'
import { freezeDate, freshPinia, jsonResponse, mountWithPrime } from '@/test/helpers'
import RejectionsPage from './RejectionsPage.vue'

const NOW = new Date('2026-12-05T12:00:00Z')

const rejected = makeRejectedEvent

const SUMMARY: RejectionSummary = {
  total: 7,
  groups: [
    { rejected_subject: 'netraven.logs.emitted', identity: null, count: 2, last_at: '2026-12-05T10:00:00Z' },
    { rejected_subject: 'netraven.backups.succeeded', identity: 'worker', count: 5, last_at: '2026-12-05T11:00:00Z' },
  ],
}

/** Answers the summary and each page of events from these, and records every URL asked. */
function serve(summary: RejectionSummary, ...pages: RejectionPage[]) {
  const fetchMock = vi.fn(async (input: RequestInfo | URL) => {
    const url = new URL(String(input), 'http://x')
    if (url.pathname === '/api/bus/rejections/summary') return jsonResponse(summary)
    return jsonResponse(pages.shift() ?? { items: [], next_before: null })
  })
  vi.stubGlobal('fetch', fetchMock)
  const asked = (path: string) =>
    fetchMock.mock.calls
      .map(([input]) => new URL(String(input), 'http://x'))
      .filter((url) => url.pathname === path)
      .map((url) => Object.fromEntries(url.searchParams))
  return {
    summaries: () => asked('/api/bus/rejections/summary'),
    pages: () => asked('/api/bus/rejections'),
  }
}

async function mountAt(url: string) {
  // PrimeVue's Select asks matchMedia, which jsdom lacks.
  vi.stubGlobal('matchMedia', () => ({ matches: false, addEventListener() {}, removeEventListener() {} }))
  const pinia = freshPinia()
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [{ path: '/rejections', name: 'rejections', component: RejectionsPage }],
  })
  await router.push(url)
  const wrapper = mountWithPrime(RejectionsPage, pinia, { global: { plugins: [router] } })
  await flushPromises()
  return { wrapper, router }
}

const rowTexts = (wrapper: Awaited<ReturnType<typeof mountAt>>['wrapper'], table: string) =>
  wrapper.findAll(`[data-test="${table}"] tbody tr`).map((row) => row.text())

freezeDate(NOW)

afterEach(() => {
  vi.unstubAllGlobals()
  document.body.innerHTML = ''
})

describe('RejectionsPage', () => {
  it('explains what a rejected event is, counts them per subject and sender, and lists them newest first', async () => {
    serve(SUMMARY, { items: [rejected(9), rejected(8, { identity: null, service: 'log-collector' })], next_before: null })
    const { wrapper } = await mountAt('/rejections')

    expect(wrapper.get('[data-test="rejections-explained"]').text()).toContain('the payload is never kept')
    expect(wrapper.get('[data-test="rejections-total"] [data-test="value"]').text()).toBe('7')
    expect(wrapper.get('[data-test="rejections-subjects"] [data-test="value"]').text()).toBe('2')
    expect(rowTexts(wrapper, 'rejection-groups')).toEqual([
      expect.stringMatching(/netraven\.backups\.succeeded\s*worker\s*5/),
      expect.stringMatching(/netraven\.logs\.emitted\s*unknown\s*2/),
    ])
    expect(rowTexts(wrapper, 'rejected-events')).toEqual([
      expect.stringMatching(/netraven\.backups\.succeeded\s*worker\s*gitkeeper\s*device 9 is not in the inventory/),
      expect.stringMatching(/unknown\s*log-collector\s*device 8/),
    ])
    expect(wrapper.text()).toContain('1 hour ago')
    expect(wrapper.findAll('button').some((b) => b.text() === 'Load older')).toBe(false)
  })

  it('says every message was accepted when there is no rejected event', async () => {
    serve({ total: 0, groups: [] }, { items: [], next_before: null })
    const { wrapper } = await mountAt('/rejections')

    expect(wrapper.get('[data-test="rejected-events"]').text()).toContain(
      'No rejected events: every message on the bus was accepted.',
    )
    expect(wrapper.get('[data-test="rejection-groups"]').text()).toContain('None in the last 24 h.')
  })

  it('takes its filters and window from the URL into the API queries', async () => {
    const api = serve(SUMMARY, { items: [], next_before: null })
    const { wrapper } = await mountAt('/rejections?subject=netraven.jobs.requested&identity=integrator&service=api&window=7d')

    expect(api.pages()).toEqual([
      { subject: 'netraven.jobs.requested', identity: 'integrator', service: 'api', limit: '50' },
    ])
    expect(api.summaries()).toEqual([{ since: '2026-11-28T12:00:00.000Z' }])
    expect(wrapper.get('[data-test="rejected-events"]').text()).toContain('No rejected event matches these filters.')
  })

  it('filters the list on a group when it is clicked, and keeps the filter in the URL', async () => {
    const api = serve(SUMMARY, { items: [rejected(9)], next_before: null }, { items: [rejected(3)], next_before: null })
    const { wrapper, router } = await mountAt('/rejections?service=api')

    await wrapper
      .get('[aria-label="Show the rejected events on netraven.logs.emitted from an unknown sender"]')
      .trigger('click')
    await flushPromises()

    expect(api.pages()[1]).toEqual({ subject: 'netraven.logs.emitted', limit: '50' })
    expect(router.currentRoute.value.query).toEqual({ subject: 'netraven.logs.emitted' })
    expect(rowTexts(wrapper, 'rejected-events')).toEqual([expect.stringContaining('device 3')])
  })

  it('loads older events before the last one shown', async () => {
    const api = serve(
      SUMMARY,
      { items: [rejected(9), rejected(8)], next_before: 8 },
      { items: [rejected(7)], next_before: null },
    )
    const { wrapper } = await mountAt('/rejections?identity=worker')

    await wrapper.findAll('button').find((b) => b.text() === 'Load older')!.trigger('click')
    await flushPromises()

    expect(api.pages()[1]).toEqual({ identity: 'worker', limit: '50', before: '8' })
    expect(rowTexts(wrapper, 'rejected-events')).toHaveLength(3)
    expect(wrapper.findAll('button').some((b) => b.text() === 'Load older')).toBe(false)
  })

  it('counts over another window when one is chosen, and keeps it in the URL', async () => {
    const api = serve(SUMMARY, { items: [], next_before: null })
    const { wrapper, router } = await mountAt('/rejections')

    await wrapper
      .findAll('.p-togglebutton')
      .find((option) => option.text() === 'Last hour')!
      .trigger('click')
    await flushPromises()

    expect(api.summaries()).toEqual([{ since: '2026-12-04T12:00:00.000Z' }, { since: '2026-12-05T11:00:00.000Z' }])
    expect(router.currentRoute.value.query).toEqual({ window: '1h' })
    expect(wrapper.get('[data-test="rejections-total"]').text()).toContain('last hour')
  })
})
