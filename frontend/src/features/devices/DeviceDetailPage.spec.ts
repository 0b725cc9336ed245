import { flushPromises } from '@vue/test-utils'
import ToastService from 'primevue/toastservice'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createMemoryHistory, createRouter } from 'vue-router'
import type { Role } from '@/api/types'
import { useAuthStore } from '@/stores/auth'
import { stubEventSource } from '@/test/fakeEventSource'
import { makeDevice } from '@/test/fixtures'
import { freshPinia, jsonResponse, mountWithPrime } from '@/test/helpers'
import DeviceDetailPage from './DeviceDetailPage.vue'

const DEVICE = makeDevice({
  timeout_seconds: 30,
  legacy_ssh: true,
  tags: ['core'],
  last_backup_status: 'succeeded',
  last_backup_at: '2026-01-01T10:00:00Z',
  host_key: {
    status: 'pinned',
    key_type: 'ssh-ed25519',
    fingerprint: 'SHA256:pinnedpinnedpinned',
    pinned_at: '2026-01-01T10:00:00Z',
    pinned_by: 'alice',
    offered: null,
  },
  bound_credential: { id: 'c1', name: 'lab-login' },
  model: 'WS-C2960X-48FPD-L',
  serial_number: 'FOC1234X5YZ',
  os_version: '15.2(7)E4',
})
const PLATFORMS = {
  platforms: [
    {
      platform: DEVICE.device_type,
      description: '',
      source: 'built-in',
      netmiko_device_type: DEVICE.device_type,
      outputs: ['version', 'inventory'],
      facts: ['model', 'serial_number', 'os_version'],
    },
  ],
  errors: [],
}
const version = (commit: string, sha256 = 'ab'.repeat(32)) => ({ commit, committed_at: '2026-01-01T10:00:00Z', sha256 })
const run = (status: string) => ({
  id: 'r1',
  status,
  results: [{ device_id: 'd1', hostname: 'core-sw-01', status, error: null }],
})

/** A fake API answering by method and path; the backup run is queued once, then succeeded. */
function fakeApi(stored = [version('aaaaaaaa')], fields: Partial<typeof DEVICE> = {}) {
  let versions = stored
  let device = { ...DEVICE, ...fields }
  const runStates = ['queued', 'succeeded']
  const calls: string[] = []
  const fetchMock = vi.fn(async (url: string, init?: RequestInit) => {
    const call = `${init?.method ?? 'GET'} ${url}`
    calls.push(call)
    if (call === 'GET /api/devices/d1') return jsonResponse(device)
    if (call === 'DELETE /api/devices/d1/bound-credential') {
      device = { ...device, bound_credential: null }
      return new Response(null, { status: 204 })
    }
    if (call === 'GET /api/devices/d1/configs') return jsonResponse(versions)
    if (call.startsWith('GET /api/devices/d1/configs/')) {
      const [commit, query] = url.split('/').pop()!.split('?')
      const output = new URLSearchParams(query).get('output')
      const text = output ? `${output} of ${commit}\n` : `hostname core-sw-01\n! ${commit}\n`
      return jsonResponse({ ...version(commit!), device_id: 'd1', text, output })
    }
    if (call === 'GET /api/platforms') return jsonResponse(PLATFORMS)
    if (call === 'GET /api/sites') return jsonResponse([{ id: 's1', name: 'branch-1', description: '', devices: 1 }])
    if (call === 'POST /api/devices/d1/backup') {
      versions = [version('bbbbbbbb', 'cd'.repeat(32)), ...versions]
      return jsonResponse({ run_id: 'r1' }, 202)
    }
    if (call === 'POST /api/logs/stream-token') return jsonResponse({ token: 't', expires_in: 60 })
    if (call === 'GET /api/runs/r1') return jsonResponse(run(runStates.shift() ?? 'succeeded'))
    return jsonResponse({ error: `unexpected ${call}` }, 404)
  })
  vi.stubGlobal('fetch', fetchMock)
  return calls
}

async function mountAs(role: Role, versions?: ReturnType<typeof version>[], fields: Partial<typeof DEVICE> = {}) {
  const calls = fakeApi(versions, fields)
  const pinia = freshPinia()
  useAuthStore(pinia).user = { id: 'u1', username: 'someone', role }
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/devices/:id', name: 'device', component: DeviceDetailPage, props: true },
      { path: '/devices', name: 'devices', component: { template: '<div />' } },
      { path: '/', name: 'dashboard', component: { template: '<div />' } },
    ],
  })
  await router.push('/devices/d1')
  const wrapper = mountWithPrime(DeviceDetailPage, pinia, {
    props: { id: 'd1' },
    global: { plugins: [router, ToastService], directives: { tooltip: {} }, stubs: { DeviceFormDialog: true } },
  })
  await flushPromises()
  return { wrapper, calls }
}

afterEach(() => {
  document.body.innerHTML = ''
})

describe('DeviceDetailPage', () => {
  it('shows a viewer the device, its SSH options and config, but no actions', async () => {
    const { wrapper } = await mountAs('viewer')
    expect(wrapper.find('[data-test="ssh-options"]').text()).toBe('timeout 30 s, legacy algorithms')
    expect(wrapper.find('[data-test="device-site"]').text()).toBe('the central workers')
    expect(wrapper.text()).toContain('! aaaaaaaa')
    const labels = wrapper.findAll('button').map((b) => b.text())
    expect(labels.filter((l) => /Run backup|Check reachability|Edit|Unbind|Pin|Clear|Accept/.test(l))).toEqual([])
  })

  it('names the remote site whose collectors back the device up', async () => {
    const { wrapper } = await mountAs('viewer', undefined, { site_id: 's1' })
    expect(wrapper.find('[data-test="device-site"]').text()).toBe('the collectors of site branch-1')
  })

  it('offers a viewer the shown version to download or copy, and a download of every version', async () => {
    const { wrapper } = await mountAs('viewer', [version('bbbbbbbb'), version('aaaaaaaa')])
    expect(wrapper.get('[data-test="download-config"]').attributes('aria-label')).toBe(
      'Download the configuration at bbbbbbbb',
    )
    expect(wrapper.find('[data-test="copy-config"]').exists()).toBe(true)
    const rows = wrapper.findAll('[aria-label="Configuration versions"] [data-test="download-version"]')
    expect(rows.map((b) => b.attributes('aria-label'))).toEqual([
      'Download the configuration at bbbbbbbb',
      'Download the configuration at aaaaaaaa',
    ])
  })

  it('shows the facts the backups read: model, serial number and OS version', async () => {
    const { wrapper } = await mountAs('viewer')
    expect(wrapper.get('[data-test="fact-model"]').text()).toBe('WS-C2960X-48FPD-L')
    expect(wrapper.get('[data-test="fact-serial_number"]').text()).toBe('FOC1234X5YZ')
    expect(wrapper.get('[data-test="fact-os_version"]').text()).toBe('15.2(7)E4')
  })

  it("shows one of the driver's other outputs at the selected version", async () => {
    const { wrapper, calls } = await mountAs('viewer')
    const choice = wrapper.findAll('[aria-label="Stored text"] button').find((b) => b.text() === 'inventory')!
    await choice.trigger('click')
    await flushPromises()
    expect(calls).toContain('GET /api/devices/d1/configs/aaaaaaaa?output=inventory')
    expect(wrapper.text()).toContain('inventory of aaaaaaaa')
    expect(wrapper.text()).not.toContain('! aaaaaaaa')
  })

  it('says of a version whose config is the one before it that only its outputs changed', async () => {
    const { wrapper } = await mountAs('viewer', [
      version('cccccccc', 'cd'.repeat(32)),
      version('bbbbbbbb'),
      version('aaaaaaaa'),
    ])
    const options = wrapper.findAll('[aria-label="Configuration versions"] li')
    expect(options.map((o) => o.find('[data-test="outputs-only"]').exists())).toEqual([false, true, false])
    expect(options[1]!.text()).toContain('config unchanged, outputs changed')
  })

  it('shows the pinned host key and the bound credential', async () => {
    const { wrapper } = await mountAs('viewer')
    expect(wrapper.get('[data-test="host-key-card"] [data-status="pinned"]').text()).toBe('Pinned')
    expect(wrapper.get('[data-test="pinned-key"] [data-test="fingerprint"]').text()).toBe('SHA256:pinnedpinnedpinned')
    expect(wrapper.get('[data-test="bound-credential"]').text()).toBe('lab-login')
  })

  it('lets an admin unbind the credential once confirmed, then shows the device unbound', async () => {
    const { wrapper, calls } = await mountAs('admin')
    await wrapper.get('[data-test="bound-credential"] button').trigger('click')
    await flushPromises()
    const confirm = [...document.querySelectorAll('[role="dialog"] button')].find((b) => b.textContent?.trim() === 'Unbind')
    ;(confirm as HTMLButtonElement).click()
    await flushPromises()
    expect(calls.slice(-2)).toEqual(['DELETE /api/devices/d1/bound-credential', 'GET /api/devices/d1'])
    expect(wrapper.get('[data-test="bound-credential"]').text()).toBe('None: tried by tag')
  })

  it('runs a backup, follows the run to its end, then shows the new newest version', async () => {
    const sources = stubEventSource()
    const { wrapper, calls } = await mountAs('operator')
    const runBackup = wrapper.findAll('button').find((b) => b.text() === 'Run backup now')!
    await runBackup.trigger('click')
    await flushPromises()
    expect(wrapper.find('[data-test="run-progress"]').text()).toContain('The backup is under way')

    sources[0]!.send('run', { run_id: 'r1', status: 'succeeded' })

    await vi.waitFor(() => expect(wrapper.find('[data-test="run-progress"]').text()).toContain('The backup finished'), {
      timeout: 5000,
    })
    await flushPromises()
    expect(wrapper.find('[data-test="run-progress"] [data-status="succeeded"]').exists()).toBe(true)
    expect(calls).toContain('POST /api/devices/d1/backup')
    expect(calls.filter((c) => c === 'GET /api/runs/r1')).toHaveLength(2)
    expect(wrapper.text()).toContain('! bbbbbbbb')
  })
})
