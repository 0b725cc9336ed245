import { flushPromises } from '@vue/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { Role } from '@/api/types'
import { useAuthStore } from '@/stores/auth'
import { freshPinia, jsonResponse, mockFetch, mountWithPrime } from '@/test/helpers'
import ManagementNetworksPage from './ManagementNetworksPage.vue'

vi.mock('primevue/usetoast', () => ({ useToast: () => ({ add: vi.fn() }) }))

const LAB = { id: 'n1', cidr: '10.0.0.0/8', description: 'lab', created_at: '2026-01-01T00:00:00Z' }
const ENFORCED = { networks: [LAB], enforced: true, devices_outside: [] }
const OPEN = { networks: [], enforced: false, devices_outside: [] }

async function mountAs(role: Role, ...responses: Response[]) {
  const fetchMock = mockFetch(...responses)
  const pinia = freshPinia()
  useAuthStore(pinia).user = { id: 'u1', username: role, role }
  const wrapper = mountWithPrime(ManagementNetworksPage, pinia)
  await flushPromises()
  return { wrapper, fetchMock }
}

async function typeInto(wrapper: Awaited<ReturnType<typeof mountAs>>['wrapper'], label: string, value: string) {
  await wrapper.get(`input[aria-label="${label}"]`).setValue(value)
}

afterEach(() => vi.unstubAllGlobals())

describe('ManagementNetworksPage', () => {
  it('shows an operator the list read-only, with why', async () => {
    const { wrapper } = await mountAs('operator', jsonResponse(ENFORCED))
    expect(wrapper.get('tbody tr').text()).toContain('10.0.0.0/8')
    expect(wrapper.get('[data-test="networks-admin-note"]').text()).toBe('Only admins change the management networks.')
    expect(wrapper.find('input').exists()).toBe(false)
    expect(wrapper.findAll('button').map((b) => b.text())).toEqual(['Refresh'])
  })

  it('warns when the list is empty, and lists the devices outside it', async () => {
    const { wrapper } = await mountAs('viewer', jsonResponse(OPEN))
    expect(wrapper.get('[data-test="networks-not-enforced"]').text()).toContain('Not enforced: devices may have any address.')

    const outside = { ...ENFORCED, devices_outside: [{ id: 'd9', hostname: 'far-rtr', ip_address: '172.16.0.9' }] }
    const { wrapper: other } = await mountAs('viewer', jsonResponse(outside))
    expect(other.find('[data-test="networks-not-enforced"]').exists()).toBe(false)
    expect(other.get('[data-test="devices-outside"]').text()).toContain('far-rtr')
    expect(other.get('[data-test="devices-outside"]').text()).toContain('172.16.0.9')
  })

  it('lets an admin add a network and saves the whole list', async () => {
    const saved = { networks: [LAB, { ...LAB, id: 'n2', cidr: '192.168.0.0/16', description: 'branch' }], enforced: true, devices_outside: [] }
    const { wrapper, fetchMock } = await mountAs('admin', jsonResponse(ENFORCED), jsonResponse(saved))
    expect(wrapper.get<HTMLInputElement>('input[aria-label="Network 1"]').element.value).toBe('10.0.0.0/8')

    await wrapper.findAll('button').find((b) => b.text() === 'Add network')!.trigger('click')
    await typeInto(wrapper, 'Network 2', '192.168.0.0/16')
    await typeInto(wrapper, 'Description of network 2', 'branch')
    await wrapper.get('form').trigger('submit')
    await flushPromises()

    const [url, init] = fetchMock.mock.calls[1]!
    expect([url, init?.method]).toEqual(['/api/management-networks', 'PUT'])
    expect(JSON.parse(String(init?.body))).toEqual({
      networks: [
        { cidr: '10.0.0.0/8', description: 'lab' },
        { cidr: '192.168.0.0/16', description: 'branch' },
      ],
    })
    expect(wrapper.findAll('[data-test="network-row"]')).toHaveLength(2)
    expect(wrapper.find('[data-test="network-error"]').exists()).toBe(false)
  })

  it("shows the api's refusal at the row it is about, and keeps the edit", async () => {
    const refusal = { error: '10.0.0.1/24 has host bits set: did you mean 10.0.0.0/24?', detail: null }
    const { wrapper } = await mountAs('admin', jsonResponse(OPEN), jsonResponse(refusal, 422))
    await wrapper.findAll('button').find((b) => b.text() === 'Add network')!.trigger('click')
    await typeInto(wrapper, 'Network 1', '10.0.0.1/24')
    await wrapper.get('form').trigger('submit')
    await flushPromises()
    expect(wrapper.get('[data-test="network-error"]').text()).toBe('10.0.0.1/24 has host bits set: did you mean 10.0.0.0/24?')
    expect(wrapper.get<HTMLInputElement>('input[aria-label="Network 1"]').element.value).toBe('10.0.0.1/24')
  })
})
