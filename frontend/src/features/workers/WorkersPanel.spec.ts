import { flushPromises } from '@vue/test-utils'
import { describe, expect, it } from 'vitest'
import { freshPinia, jsonResponse, mockFetch, mountWithPrime } from '@/test/helpers'
import WorkersPanel from './WorkersPanel.vue'

const WORKER = {
  worker_id: 'worker-a',
  hostname: 'backup-01',
  pid: 4242,
  version: '0.4.0',
  in_flight: 3,
  capacity: 8,
  started_at: '2026-03-01T10:00:00Z',
  last_seen_at: '2026-03-01T12:00:00Z',
}

async function mountWith(response: Response) {
  const fetch = mockFetch(response)
  const wrapper = mountWithPrime(WorkersPanel, freshPinia())
  await flushPromises()
  return { wrapper, fetch }
}

describe('WorkersPanel', () => {
  it('lists the workers with their load', async () => {
    const { wrapper, fetch } = await mountWith(
      jsonResponse({ items: [WORKER, { ...WORKER, worker_id: 'worker-b', in_flight: 0 }] }),
    )

    expect(String(fetch.mock.calls[0]![0])).toBe('/api/workers')
    expect(wrapper.text()).toContain('worker-a')
    expect(wrapper.text()).toContain('backup-01 · pid 4242 · v0.4.0')
    expect(wrapper.get('[data-test="workers-load"]').text()).toBe('2 online · 3 of 16 backup slots busy')
  })

  it('says no worker reported when the list is empty', async () => {
    const { wrapper } = await mountWith(jsonResponse({ items: [] }))
    expect(wrapper.text()).toContain('No worker has reported in the last 30 s')
  })

  it('treats an API without the endpoint (404) as no workers, not an error', async () => {
    const { wrapper } = await mountWith(jsonResponse({ error: 'not found' }, 404))
    expect(wrapper.text()).toContain('No worker has reported in the last 30 s')
    expect(wrapper.find('[role="alert"]').exists()).toBe(false)
  })

  it('shows other failures with a retry', async () => {
    const { wrapper } = await mountWith(jsonResponse({ error: 'database unavailable' }, 503))
    expect(wrapper.get('[role="alert"]').text()).toContain('database unavailable')
    expect(wrapper.text()).not.toContain('No worker has reported')
  })
})
