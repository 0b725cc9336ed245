import { flushPromises } from '@vue/test-utils'
import Tooltip from 'primevue/tooltip'
import { describe, expect, it } from 'vitest'
import type { Role } from '@/api/types'
import { useAuthStore } from '@/stores/auth'
import { freshPinia, jsonResponse, mockFetch, mountWithPrime } from '@/test/helpers'
import TagsPage from './TagsPage.vue'

const TAGS = [{ id: 't1', name: 'core', device_count: 12, credential_count: 2 }]

async function mountAs(role: Role, ...responses: Response[]) {
  const pinia = freshPinia()
  useAuthStore().user = { id: 'u1', username: role, role }
  mockFetch(...responses)
  const wrapper = mountWithPrime(TagsPage, pinia, { global: { directives: { tooltip: Tooltip } } })
  await flushPromises()
  return wrapper
}

describe('TagsPage', () => {
  it('lists tags with their device and credential counts, and actions for an operator', async () => {
    const wrapper = await mountAs('operator', jsonResponse(TAGS))
    const cells = wrapper.get('tbody tr').findAll('td').map((td) => td.text())
    expect(cells.slice(0, 3)).toEqual(['core', '12', '2'])
    expect(wrapper.find('[aria-label="Edit core"]').exists()).toBe(true)
    expect(wrapper.find('[aria-label="Delete core"]').exists()).toBe(true)
  })

  it('gives a viewer the list only', async () => {
    const wrapper = await mountAs('viewer', jsonResponse(TAGS))
    expect(wrapper.get('tbody tr').text()).toContain('core')
    expect(wrapper.find('[aria-label="Edit core"]').exists()).toBe(false)
    expect(wrapper.text()).not.toContain('New tag')
  })

  it('shows an empty state, and a load error with its reason', async () => {
    expect((await mountAs('viewer', jsonResponse([]))).text()).toContain('No tags yet.')
    const failed = await mountAs('viewer', jsonResponse({ error: 'database unavailable', detail: null }, 503))
    expect(failed.get('[role="alert"]').text()).toContain('Could not load tags: database unavailable')
  })
})
