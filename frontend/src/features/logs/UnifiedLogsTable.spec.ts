import { flushPromises } from '@vue/test-utils'
import { describe, expect, it, vi } from 'vitest'
import type { LogEntry } from '@/api/logTypes'
import { useLogsStore } from '@/stores/logs'
import { makeLogEntry } from '@/test/fixtures'
import { freshPinia, jsonResponse, mountWithPrime } from '@/test/helpers'
import UnifiedLogsTable from './UnifiedLogsTable.vue'

const DEVICE = '3f2b8c1e-4a5d-4e6f-8a9b-0c1d2e3f4a5b'
const RUN = '9a8b7c6d-1111-4222-8333-444455556666'

// Two minutes old, so the table shows it as relative time.
function entry(id: number, extra: Partial<LogEntry> = {}): LogEntry {
  return makeLogEntry(id, { timestamp: new Date(Date.now() - 120_000).toISOString(), ...extra })
}

async function setup(
  configure: (logs: ReturnType<typeof useLogsStore>) => void,
  override: Record<string, () => Response> = {},
) {
  // jsdom has no matchMedia; the filter bar's date pickers ask it about the screen size.
  vi.stubGlobal('matchMedia', () => ({ matches: false, addEventListener() {}, removeEventListener() {} }))
  const pinia = freshPinia()
  const answers: Record<string, () => Response> = {
    '/api/jobs': () => jsonResponse({ items: [], total: 0 }),
    '/api/devices': () => jsonResponse({ items: [{ id: DEVICE, hostname: 'edge-01' }], total: 1 }),
    '/api/logs': () => jsonResponse({ items: [entry(1)], next_cursor: null }),
    '/api/logs/levels': () =>
      jsonResponse([{ value: 'info', count: 1 }, { value: 'error', count: 0 }, { value: 'critical', count: 0 }]),
    '/api/logs/types': () => jsonResponse([{ value: 'job', count: 1 }]),
    ...override,
  }
  const fetch = vi.fn(async (url: string) => answers[new URL(url, 'http://x').pathname]!())
  vi.stubGlobal('fetch', fetch)
  const logs = useLogsStore()
  configure(logs)
  const wrapper = mountWithPrime(UnifiedLogsTable, pinia)
  await flushPromises()
  return { wrapper, logs, fetch }
}

describe('UnifiedLogsTable', () => {
  it('shows device hostnames, run links and how long ago each line was', async () => {
    const { wrapper } = await setup((logs) => {
      logs.items = [entry(5, { device_id: DEVICE, run_id: RUN })]
    })
    const row = wrapper.get('tbody tr')
    expect(row.text()).toContain('edge-01')
    expect(row.text()).toContain(RUN.slice(0, 8))
    expect(row.get('[data-test="relative"]').text()).toBe('2 minutes ago')
  })

  it('highlights lines that arrived live', async () => {
    const { wrapper, logs } = await setup((logs) => {
      logs.items = [entry(5)]
    })
    logs.addLive(entry(6))
    await flushPromises()
    const rows = wrapper.findAll('tbody tr')
    expect(rows[0]!.classes()).toContain('log-fresh')
    expect(rows[1]!.classes()).not.toContain('log-fresh')
  })

  it('offers older entries while there are more, and loads them', async () => {
    const { wrapper, logs } = await setup((logs) => {
      logs.items = [entry(2)]
      logs.nextCursor = '2'
    })
    const button = wrapper.findAll('button').find((b) => b.text() === 'Load older')
    expect(button).toBeDefined()

    await button!.trigger('click')
    await flushPromises()

    expect(logs.items.map((e) => e.id)).toEqual([2, 1])
    expect(wrapper.findAll('button').some((b) => b.text() === 'Load older')).toBe(false)
  })

  it('tells an empty result under filters from an empty log', async () => {
    const { wrapper, logs } = await setup((logs) => {
      logs.page.loaded = true
      logs.filters.level = 'error'
    })
    expect(wrapper.text()).toContain('No log entries match these filters.')
    logs.filters.level = null
    await flushPromises()
    expect(wrapper.text()).toContain('No log entries yet.')
  })

  it('offers the levels the API lists', async () => {
    const { wrapper } = await setup(() => {})
    await wrapper.get('[aria-label="Filter by level"]').trigger('click')
    await flushPromises()
    const offered = [...document.body.querySelectorAll('[role="option"]')].map((o) => o.textContent)
    expect(offered).toEqual(['Info', 'Error', 'Critical'])
    wrapper.unmount()
  })

  it('says when the level and type choices cannot be loaded, and retries', async () => {
    let levelsDown = true
    const { wrapper, logs } = await setup(() => {}, {
      '/api/logs/levels': () =>
        levelsDown ? jsonResponse({ error: 'down' }, 503) : jsonResponse([{ value: 'debug', count: 0 }]),
    })
    expect(wrapper.get('[data-test="choices-error"]').text()).toContain('Could not load the level and type choices')

    levelsDown = false
    await wrapper.get('[data-test="choices-error"] button').trigger('click')
    await flushPromises()

    expect(wrapper.find('[data-test="choices-error"]').exists()).toBe(false)
    expect(logs.levelChoices).toEqual(['debug'])
  })
})
