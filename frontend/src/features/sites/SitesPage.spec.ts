import { flushPromises } from '@vue/test-utils'
import Tooltip from 'primevue/tooltip'
import { describe, expect, it } from 'vitest'
import type { Role } from '@/api/types'
import { useAuthStore } from '@/stores/auth'
import { freshPinia, jsonResponse, mockFetch, mountWithPrime } from '@/test/helpers'
import SitesPage from './SitesPage.vue'

const SITES = [
  {
    id: 's1',
    name: 'branch-a',
    description: 'Lyon',
    public_key: 'SzSe7YEXJiq/zi/lb0FD9QcvGfqCCuaBJigX+hJrSUg=',
    public_key_fingerprint: 'SHA256:HMOb44ABJhVOwNb6tctoVEa6mq51Lw3qX+E7nvcgUWA',
    device_count: 3,
    subject: 'netraven.jobs.sites.branch-a',
    bus_identity: 'site-branch-a',
    created_at: '2026-12-06T10:00:00Z',
    updated_at: '2026-12-06T10:00:00Z',
  },
]

async function mountAs(role: Role, ...responses: Response[]) {
  const pinia = freshPinia()
  useAuthStore().user = { id: 'u1', username: role, role }
  mockFetch(...responses)
  const wrapper = mountWithPrime(SitesPage, pinia, { global: { directives: { tooltip: Tooltip } } })
  await flushPromises()
  return wrapper
}

describe('SitesPage', () => {
  it('lists sites with their devices, key fingerprint and identity, and delete for an admin', async () => {
    const wrapper = await mountAs('admin', jsonResponse(SITES))
    const cells = wrapper.get('tbody tr').findAll('td').map((td) => td.text())
    expect(cells.slice(0, 5)).toEqual(['branch-a', 'Lyon', '3', SITES[0]!.public_key_fingerprint, 'site-branch-a'])
    expect(wrapper.find('[aria-label="Delete branch-a"]').exists()).toBe(true)
    expect(wrapper.text()).toContain('New site')
  })

  it('gives an operator the list only', async () => {
    const wrapper = await mountAs('operator', jsonResponse(SITES))
    expect(wrapper.get('tbody tr').text()).toContain('branch-a')
    expect(wrapper.find('[aria-label="Delete branch-a"]').exists()).toBe(false)
    expect(wrapper.text()).not.toContain('New site')
  })

  it('shows an empty state', async () => {
    expect((await mountAs('viewer', jsonResponse([]))).text()).toContain('No remote sites')
  })
})
