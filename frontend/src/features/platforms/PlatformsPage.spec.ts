import { flushPromises } from '@vue/test-utils'
import { describe, expect, it } from 'vitest'
import { useAuthStore } from '@/stores/auth'
import { freshPinia, jsonResponse, mockFetch, mountWithPrime } from '@/test/helpers'
import PlatformsPage from './PlatformsPage.vue'

const PLATFORMS = [
  { platform: 'acme_os', description: 'ACME OS switches', source: 'local', netmiko_device_type: 'cisco_ios', input: 'cli' },
  { platform: 'cisco_ios', description: '', source: 'built-in', netmiko_device_type: 'cisco_ios', input: 'cli' },
  { platform: 'paloalto_panos_api', description: '', source: 'built-in', netmiko_device_type: 'paloalto_panos', input: 'panos_xml_api' },
]

async function mountWith(...responses: Response[]) {
  const pinia = freshPinia()
  useAuthStore().user = { id: 'u1', username: 'viewer', role: 'viewer' }
  const fetchMock = mockFetch(...responses)
  const wrapper = mountWithPrime(PlatformsPage, pinia)
  await flushPromises()
  return { wrapper, fetchMock }
}

describe('PlatformsPage', () => {
  it('lists every platform with its source, input and Netmiko driver (for the CLI alone)', async () => {
    const { wrapper, fetchMock } = await mountWith(jsonResponse({ platforms: PLATFORMS, errors: [] }))
    expect(fetchMock.mock.calls[0]![0]).toBe('/api/platforms')
    const rows = wrapper.findAll('tbody tr').map((tr) => tr.findAll('td').map((td) => td.text()))
    expect(rows).toEqual([
      ['acme_os', 'ACME OS switches', 'local', 'CLI over SSH', 'cisco_ios'],
      ['cisco_ios', '', 'built-in', 'CLI over SSH', 'cisco_ios'],
      ['paloalto_panos_api', '', 'built-in', 'PAN-OS XML API over HTTPS', '—'],
    ])
    expect(wrapper.find('[data-test="driver-file-errors"]').exists()).toBe(false)
  })

  it('names each driver file that did not load, with its field', async () => {
    const errors = [{ file: '/etc/netraven/drivers/broken.yaml', field: 'noise', message: 'not a regular expression' }]
    const { wrapper } = await mountWith(jsonResponse({ platforms: PLATFORMS, errors }))
    const warning = wrapper.get('[data-test="driver-file-errors"]').text()
    expect(warning).toContain('A driver file did not load')
    expect(warning).toContain('/etc/netraven/drivers/broken.yaml, field noise: not a regular expression')
  })

  it('shows a load error with its reason', async () => {
    const { wrapper } = await mountWith(jsonResponse({ error: 'database unavailable', detail: null }, 503))
    expect(wrapper.get('[role="alert"]').text()).toContain('Could not load platforms: database unavailable')
  })
})
