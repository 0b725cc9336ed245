import { flushPromises } from '@vue/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createMemoryHistory, createRouter } from 'vue-router'
import type { Role } from '@/api/types'
import { useAuthStore } from '@/stores/auth'
import { useSitesStore } from '@/stores/sites'
import { makeDevice } from '@/test/fixtures'
import { freshPinia, jsonResponse, mockFetch, mountWithPrime } from '@/test/helpers'
import DevicesPage from './DevicesPage.vue'

vi.mock('primevue/usetoast', () => ({ useToast: () => ({ add: vi.fn() }) }))

const DEVICE = makeDevice({
  tags: ['core'],
  jump_host_id: null,
  jump_host: { id: 'j1', name: 'bastion-1', from_tag: 'core' },
  last_backup_status: 'succeeded',
  last_backup_at: '2026-01-01T10:00:00Z',
  reachability: { status: 'reachable', latency_ms: 12.4, checked_at: '2026-01-01T10:00:00Z', error: null },
  host_key: {
    status: 'changed',
    key_type: 'ssh-ed25519',
    fingerprint: 'SHA256:old',
    pinned_at: '2026-01-01T10:00:00Z',
    pinned_by: 'alice',
    offered: { key_type: 'ssh-ed25519', fingerprint: 'SHA256:new', seen_at: '2026-01-02T10:00:00Z' },
  },
  bound_credential: { id: 'c1', name: 'lab' },
})
const OLD_API_DEVICE = {
  ...DEVICE,
  id: 'd2',
  hostname: 'old-api',
  reachability: undefined,
  host_key: undefined,
  transport: 'telnet',
  jump_host: null,
}

async function mountAs(role: Role, url = '/devices', items: object[] = [DEVICE, OLD_API_DEVICE]) {
  vi.stubGlobal('matchMedia', () => ({ matches: false, addEventListener() {}, removeEventListener() {} }))
  const fetchMock = mockFetch(jsonResponse({ items, total: items.length }))
  const pinia = freshPinia()
  useAuthStore(pinia).user = { id: 'u1', username: 'someone', role }
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/devices', name: 'devices', component: DevicesPage },
      { path: '/devices/:id', name: 'device', component: { template: '<div />' } },
    ],
  })
  await router.push(url)
  const wrapper = mountWithPrime(DevicesPage, pinia, {
    // The filter bar has its own Selects to render; these tests are about the table and the actions.
    global: { plugins: [router], directives: { tooltip: {} }, stubs: { DeviceFilters: true } },
  })
  await flushPromises()
  return { wrapper, fetchMock, router }
}

const buttonLabels = (wrapper: Awaited<ReturnType<typeof mountAs>>['wrapper']) =>
  wrapper.findAll('button').map((b) => b.attributes('aria-label') ?? b.text())

afterEach(() => {
  document.body.innerHTML = ''
})

describe('DevicesPage', () => {
  it('shows a viewer the devices but no add, import, edit, delete or check buttons', async () => {
    const { wrapper } = await mountAs('viewer')
    expect(wrapper.text()).toContain('core-sw-01')
    expect(buttonLabels(wrapper).filter((label) => /Add|Import|Edit|Delete|Check/.test(label))).toEqual([])
  })

  it('gives an operator every action, per device, but not the known_hosts import', async () => {
    const { wrapper } = await mountAs('operator')
    const labels = buttonLabels(wrapper)
    for (const label of ['Add device', 'Import', 'Edit core-sw-01', 'Delete core-sw-01', 'Check reachability of core-sw-01']) {
      expect(labels).toContain(label)
    }
    expect(labels).not.toContain('Import known_hosts…')
  })

  it('gives an admin the known_hosts import', async () => {
    const { wrapper } = await mountAs('admin')
    expect(buttonLabels(wrapper)).toContain('Import known_hosts…')
  })

  it('marks a Telnet device as insecure and names the jump host a device goes through', async () => {
    const { wrapper } = await mountAs('viewer')
    const rows = wrapper.findAll('tbody tr')
    expect(rows[0]!.find('[data-test="via-jump-host"]').text()).toBe('via bastion-1')
    expect(rows[0]!.find('[data-test="telnet-tag"]').exists()).toBe(false)
    expect(rows[1]!.find('[data-test="telnet-tag"]').text()).toBe('Telnet')
    expect(rows[1]!.find('[data-test="telnet-tag"]').classes()).toContain('p-tag-warn')
  })

  it('shows each host key status, and "Not pinned" when the API sends none', async () => {
    const { wrapper } = await mountAs('viewer')
    const [first, second] = wrapper.findAll('[data-test="host-key"] [data-status]')
    expect([first!.attributes('data-status'), first!.text()]).toEqual(['changed', 'Changed'])
    expect(first!.classes()).toContain('p-tag-danger')
    expect([second!.attributes('data-status'), second!.text()]).toEqual(['none', 'Not pinned'])
  })

  it('shows reachability with latency, and "unknown" when the API sends none', async () => {
    const { wrapper } = await mountAs('viewer')
    const [first, second] = wrapper.findAll('[data-test="reachability"]')
    expect(first!.text()).toContain('Reachable')
    expect(first!.text()).toContain('12 ms')
    expect(second!.find('[data-status]').attributes('data-status')).toBe('unknown')
  })

  it('reads filters, sorting and page from the URL into the API query', async () => {
    const { fetchMock } = await mountAs('viewer', '/devices?tag=core&status=failed&sort=-hostname&page=2')
    expect(fetchMock.mock.calls[0]![0]).toBe('/api/devices?tag=core&status=failed&sort=-hostname&limit=20&offset=20')
  })

  it('reads the host key filter from the URL into the API query', async () => {
    const { fetchMock } = await mountAs('viewer', '/devices?host_key_status=changed')
    expect(fetchMock.mock.calls[0]![0]).toBe('/api/devices?host_key_status=changed&sort=hostname&limit=20&offset=0')
  })

  it('reads the platform filter from the URL into the API query', async () => {
    const { fetchMock } = await mountAs('viewer', '/devices?device_type=juniper_junos')
    expect(fetchMock.mock.calls[0]![0]).toBe('/api/devices?device_type=juniper_junos&sort=hostname&limit=20&offset=0')
  })

  it('reads the orphaned filter from the URL and badges a device gone from its inventory source', async () => {
    const orphan = makeDevice({ id: 'd3', hostname: 'gone-sw', source_id: 's1', orphaned_at: '2026-12-01T10:00:00Z' })
    const { wrapper, fetchMock } = await mountAs('viewer', '/devices?orphaned=true', [orphan, DEVICE])
    expect(fetchMock.mock.calls[0]![0]).toBe('/api/devices?orphaned=true&sort=hostname&limit=20&offset=0')
    const badges = wrapper.findAll('[data-test="orphaned-badge"]')
    expect(badges).toHaveLength(1)
    expect(wrapper.findAll('tbody tr')[0]!.text()).toContain('Orphaned')
  })

  it('reads the stale filter from the URL, as the dashboard freshness card links to it', async () => {
    const { fetchMock } = await mountAs('viewer', '/devices?stale=true&tag=core', [DEVICE])
    expect(fetchMock.mock.calls[0]![0]).toBe('/api/devices?tag=core&stale=true&sort=hostname&limit=20&offset=0')
  })

  it('reads the site filter from the URL into the API query', async () => {
    const { fetchMock } = await mountAs('viewer', '/devices?site=branch-1', [DEVICE])
    expect(fetchMock.mock.calls[0]![0]).toBe('/api/devices?site=branch-1&sort=hostname&limit=20&offset=0')
  })

  it("names each device's site in a Site column once there are sites", async () => {
    const remote = makeDevice({ id: 'd4', hostname: 'branch-sw', site_id: 's1' })
    const { wrapper, fetchMock } = await mountAs('viewer', '/devices', [remote, DEVICE])
    expect(wrapper.findAll('[data-test="device-site"]')).toHaveLength(0)
    expect(fetchMock.mock.calls.map((call) => String(call[0]))).toContain('/api/sites')

    fetchMock.mockResolvedValue(jsonResponse([{ id: 's1', name: 'branch-1', description: '', devices: 1 }]))
    await useSitesStore().fetchSites()
    await flushPromises()
    expect(wrapper.findAll('[data-test="device-site"]').map((cell) => cell.text())).toEqual(['branch-1', 'central'])
  })
})
