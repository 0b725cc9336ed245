import { flushPromises } from '@vue/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { FleetFreshness } from '@/api/types'
import { freshPinia, jsonResponse, mockFetch, mountWithPrime } from '@/test/helpers'
import FreshnessCard from './FreshnessCard.vue'

const FLEET: FleetFreshness = {
  generated_at: '2026-12-06T12:00:00Z',
  default_stale_after_hours: 26,
  devices: 12,
  stale: 3,
  buckets: { '1h': 5, '6h': 2, '24h': 1, '7d': 2, older: 1, never: 1 },
  tags: [
    { tag: 'core', stale_after_hours: 2, devices: 4, stale: 2, oldest_age_seconds: 3 * 86_400 },
    { tag: 'edge', stale_after_hours: 26, devices: 6, stale: 1, oldest_age_seconds: 30 * 3600 },
    { tag: 'lab', stale_after_hours: 26, devices: 2, stale: 0, oldest_age_seconds: 600 },
  ],
  stalest: [],
}

const LinkShowingTarget = { props: ['to'], template: '<a :data-to="JSON.stringify(to)"><slot /></a>' }

async function mountWith(...responses: Response[]) {
  const fetch = mockFetch(...responses)
  const wrapper = mountWithPrime(FreshnessCard, freshPinia(), { global: { stubs: { RouterLink: LinkShowingTarget } } })
  await flushPromises()
  return { wrapper, fetch }
}

afterEach(() => vi.unstubAllGlobals())

describe('FreshnessCard', () => {
  it('shows the stale count in red, linking to the stale devices, and every age bucket', async () => {
    const { wrapper, fetch } = await mountWith(jsonResponse(FLEET))

    expect(String(fetch.mock.calls[0]![0])).toBe('/api/devices/freshness?stalest=0')
    const stale = wrapper.get('[data-test="freshness-stale"]')
    expect(stale.get('[data-test="value"]').text()).toBe('3')
    expect(stale.text()).toContain('stale of 12 devices')
    expect(stale.classes()).toContain('text-red-600')
    expect(JSON.parse(stale.attributes('data-to')!)).toEqual({ name: 'devices', query: { stale: 'true' } })
    const bucket = (age: string) => wrapper.get(`[data-test="bucket-${age}"]`)
    expect(bucket('1h').text()).toBe('under 1 h5')
    expect(['6h', '24h', '7d', 'older', 'never'].map((age) => bucket(age).get('[data-test="value"]').text())).toEqual([
      '2', '1', '2', '1', '1',
    ])
    expect(wrapper.get('[data-test="freshness-threshold"]').text()).toContain('26 h')
  })

  it('lists the tags with stale devices, worst first, each linking to its stale devices', async () => {
    const { wrapper } = await mountWith(jsonResponse(FLEET))

    const tags = wrapper.get('[data-test="freshness-tags"]').findAll('li')
    expect(tags.map((li) => [li.get('a').text(), li.get('[data-test="tag-counts"]').text()])).toEqual([
      ['core', '2 of 4 stale · after 2 h · oldest 3 days'],
      ['edge', '1 of 6 stale · after 26 h · oldest 30 h'],
    ])
    expect(JSON.parse(tags[0]!.get('a').attributes('data-to')!)).toEqual({
      name: 'devices',
      query: { tag: 'core', stale: 'true' },
    })
  })

  it('is green with no stale device and lists no tag', async () => {
    const fresh = { ...FLEET, stale: 0, tags: FLEET.tags.map((tag) => ({ ...tag, stale: 0 })) }
    const { wrapper } = await mountWith(jsonResponse(fresh))

    const stale = wrapper.get('[data-test="freshness-stale"]')
    expect(stale.classes()).toContain('text-green-700')
    expect(stale.attributes('data-stale')).toBe('false')
    expect(wrapper.find('[data-test="freshness-tags"]').exists()).toBe(false)
  })

  it('shows the error with a retry button', async () => {
    const { wrapper } = await mountWith(jsonResponse({ error: 'database unavailable' }, 503))

    expect(wrapper.get('[role="alert"]').text()).toContain('database unavailable')
    expect(wrapper.find('[data-test="freshness-stale"]').exists()).toBe(false)
  })
})
