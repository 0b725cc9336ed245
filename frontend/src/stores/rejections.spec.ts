import { afterEach, describe, expect, it, vi } from 'vitest'
import { makeRejectedEvent } from '@/test/fixtures'
import { freshPinia, jsonResponse, mockFetch } from '@/test/helpers'
import { useRejectionsStore, windowStart } from './rejections'

const rejected = makeRejectedEvent

const page = (ids: number[], nextBefore: number | null) =>
  jsonResponse({ items: ids.map((id) => rejected(id)), next_before: nextBefore })
const params = (call: unknown[]) => Object.fromEntries(new URL(String(call[0]), 'http://x').searchParams)
const path = (call: unknown[]) => new URL(String(call[0]), 'http://x').pathname

afterEach(() => vi.useRealTimers())

describe('rejections store', () => {
  it('asks for the newest page with its filters, then older pages before the last id, without repeats', async () => {
    freshPinia()
    const store = useRejectionsStore()
    const fetch = mockFetch(page([30, 29], 29), page([29, 28], null))

    await store.setFilters({ subject: 'netraven.backups.succeeded', identity: 'worker' })
    await store.loadOlder()

    expect(path(fetch.mock.calls[0]!)).toBe('/api/bus/rejections')
    expect(params(fetch.mock.calls[0]!)).toEqual({
      subject: 'netraven.backups.succeeded',
      identity: 'worker',
      limit: '50',
    })
    expect(params(fetch.mock.calls[1]!)).toMatchObject({ before: '29', identity: 'worker' })
    expect(store.items.map((e) => e.id)).toEqual([30, 29, 28])
    expect(store.nextBefore).toBeNull()
  })

  it('does not ask for older events past the last page', async () => {
    freshPinia()
    const store = useRejectionsStore()
    const fetch = mockFetch(page([3], null))

    await store.fetchEvents()
    await store.loadOlder()

    expect(fetch).toHaveBeenCalledOnce()
  })

  it('asks for the counts since the start of the chosen window', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(new Date('2026-12-05T12:00:00Z'))
    freshPinia()
    const store = useRejectionsStore()
    const fetch = mockFetch(jsonResponse({ total: 0, groups: [] }), jsonResponse({ total: 0, groups: [] }))

    await store.fetchSummary()
    await store.setWindow('1h')

    expect(path(fetch.mock.calls[0]!)).toBe('/api/bus/rejections/summary')
    expect(params(fetch.mock.calls[0]!)).toEqual({ since: '2026-12-04T12:00:00.000Z' })
    expect(params(fetch.mock.calls[1]!)).toEqual({ since: '2026-12-05T11:00:00.000Z' })
  })

  it('filters on a group: its subject and identity, any service', async () => {
    freshPinia()
    const store = useRejectionsStore()
    mockFetch(page([1], null))
    store.filters.service = 'api'

    await store.showGroup({
      rejected_subject: 'netraven.logs.emitted',
      identity: null,
      count: 4,
      last_at: '2026-12-05T10:00:00Z',
    })

    expect({ ...store.filters }).toEqual({ subject: 'netraven.logs.emitted', identity: null, service: null })
  })

  it('reads its filters and window from the URL, ignoring an unknown window, and writes them back', () => {
    freshPinia()
    const store = useRejectionsStore()

    store.applyQuery({ subject: ' netraven.jobs.requested ', service: 'api', window: 'forever', tab: 'x' })
    expect({ ...store.filters }).toEqual({ subject: 'netraven.jobs.requested', identity: null, service: 'api' })
    expect(store.summaryWindow).toBe('24h')
    expect(store.toQuery()).toEqual({
      subject: 'netraven.jobs.requested',
      identity: undefined,
      service: 'api',
      window: undefined,
    })

    store.applyQuery({ window: '7d', identity: 'integrator' })
    expect(store.toQuery()).toEqual({
      subject: undefined,
      identity: 'integrator',
      service: undefined,
      window: '7d',
    })
  })
})

describe('windowStart', () => {
  it('counts back the window from now', () => {
    const now = Date.parse('2026-12-05T12:00:00Z')
    expect(windowStart('1h', now)).toBe('2026-12-05T11:00:00.000Z')
    expect(windowStart('7d', now)).toBe('2026-11-28T12:00:00.000Z')
  })
})
