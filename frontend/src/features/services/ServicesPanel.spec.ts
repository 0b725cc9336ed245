import { flushPromises } from '@vue/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { ServiceInstance } from '@/api/busTypes'
import { freshPinia, jsonResponse, mockFetch, mountWithPrime } from '@/test/helpers'
import ServicesPanel from './ServicesPanel.vue'

const GITKEEPER: ServiceInstance = {
  service: 'gitkeeper',
  instance: 'gitkeeper-1',
  pid: 4242,
  host: 'backup-01',
  started_at: '2026-12-05T10:00:00Z',
  restarts: 0,
  ready: true,
  problem: null,
  seen_at: '2026-12-05T12:05:00Z',
}
const STUCK_API: ServiceInstance = {
  ...GITKEEPER,
  service: 'api',
  instance: 'api-1',
  pid: 77,
  started_at: '2026-12-05T12:04:30Z',
  restarts: 2,
  ready: false,
  problem: 'the run recorder stopped consuming',
}

async function mountWith(...responses: Response[]) {
  const fetch = mockFetch(...responses)
  const wrapper = mountWithPrime(ServicesPanel, freshPinia())
  await flushPromises()
  return { wrapper, fetch }
}

const rows = (wrapper: Awaited<ReturnType<typeof mountWith>>['wrapper']) =>
  wrapper.findAll('[data-test="services-table"] tbody tr')

afterEach(() => {
  vi.useRealTimers()
  vi.unstubAllGlobals()
})

describe('ServicesPanel', () => {
  it('lists each instance with its status, restarts and uptime', async () => {
    const { wrapper, fetch } = await mountWith(jsonResponse([GITKEEPER, STUCK_API]))

    expect(String(fetch.mock.calls[0]![0])).toBe('/api/services')
    expect(wrapper.get('[data-test="services-load"]').text()).toBe('1 of 2 ready · 2 restarts')
    const [api, gitkeeper] = rows(wrapper)
    expect(api!.text()).toContain('api')
    expect(api!.text()).toContain('backup-01 · pid 77')
    expect(api!.get('[data-status]').attributes('data-status')).toBe('not_ready')
    expect(api!.get('.p-tag-danger').text()).toBe('Not ready')
    expect(api!.get('[data-test="problem"]').text()).toBe('the run recorder stopped consuming')
    expect(api!.get('[data-test="restarts"]').classes()).toContain('p-tag-warn')
    expect(api!.get('[data-test="uptime"]').text()).toBe('30s')

    expect(gitkeeper!.get('.p-tag-success').text()).toBe('Ready')
    expect(gitkeeper!.find('[data-test="problem"]').exists()).toBe(false)
    expect(gitkeeper!.get('[data-test="restarts"]').text()).toBe('0')
    expect(gitkeeper!.get('[data-test="restarts"]').classes()).not.toContain('p-tag')
    expect(gitkeeper!.get('[data-test="uptime"]').text()).toBe('2h 05m')
  })

  it('asks again every 5 seconds', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] })
    const { wrapper, fetch } = await mountWith(jsonResponse([STUCK_API]), jsonResponse([{ ...STUCK_API, ready: true }]))
    expect(rows(wrapper)[0]!.get('[data-status]').attributes('data-status')).toBe('not_ready')

    vi.advanceTimersByTime(5_000)
    await flushPromises()

    expect(fetch).toHaveBeenCalledTimes(2)
    expect(rows(wrapper)[0]!.get('[data-status]').attributes('data-status')).toBe('ready')
  })

  it('shows other failures with a retry', async () => {
    const { wrapper } = await mountWith(jsonResponse({ error: 'database unavailable' }, 503))
    expect(wrapper.get('[role="alert"]').text()).toContain('database unavailable')
    expect(wrapper.text()).not.toContain('No service has reported')
  })
})
