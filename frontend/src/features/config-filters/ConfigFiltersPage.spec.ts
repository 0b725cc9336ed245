import { flushPromises } from '@vue/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { ConfigFilter } from '@/api/configFilters'
import type { Role } from '@/api/types'
import { useAuthStore } from '@/stores/auth'
import { freshPinia, jsonResponse, mockFetch, mountWithPrime } from '@/test/helpers'
import ConfigFiltersPage from './ConfigFiltersPage.vue'

const FILTER: ConfigFilter = {
  id: 'f1',
  name: 'locations',
  platform: null,
  tag: 'core',
  tag_id: 't1',
  redactions: [{ pattern: '^(snmp-server location) .+', separator: ' ' }],
  noise: ['^ntp clock-period'],
  enabled: true,
  version: 3,
  created_at: '2026-12-01T10:00:00Z',
  updated_at: '2026-12-02T10:00:00Z',
}

async function mountAs(role: Role) {
  mockFetch(jsonResponse([FILTER]))
  const pinia = freshPinia()
  useAuthStore(pinia).user = { id: 'u1', username: role, role }
  const wrapper = mountWithPrime(ConfigFiltersPage, pinia)
  await flushPromises()
  return wrapper
}

afterEach(() => vi.unstubAllGlobals())

describe('ConfigFiltersPage', () => {
  it('shows a viewer the filters read-only, with their history', async () => {
    const wrapper = await mountAs('viewer')
    const row = wrapper.get('tbody tr').text()
    expect(row).toContain('locations')
    expect(row).toContain('tag core')
    expect(row).toContain('1 redactions, 1 noise')
    expect(wrapper.text()).toContain('Only admins change filters.')
    expect(wrapper.findAll('button').map((b) => b.attributes('aria-label') ?? b.text())).toEqual([
      'Refresh',
      'History locations',
    ])
  })

  it('offers an admin a new filter, editing and deleting', async () => {
    const wrapper = await mountAs('admin')
    const buttons = wrapper.findAll('button').map((b) => b.attributes('aria-label') ?? b.text())
    expect(buttons).toEqual(expect.arrayContaining(['New filter', 'Edit locations', 'History locations', 'Delete locations']))
  })
})
