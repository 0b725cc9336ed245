import { flushPromises } from '@vue/test-utils'
import InputNumber from 'primevue/inputnumber'
import Select from 'primevue/select'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { makeDevice } from '@/test/fixtures'
import { freshPinia, jsonResponse, mockFetch, mountWithPrime } from '@/test/helpers'
import DeviceFormDialog from './DeviceFormDialog.vue'

const TAGS = jsonResponse([{ id: 't1', name: 'lab', device_count: 5, credential_count: 1 }])
const platforms = () =>
  jsonResponse({
    platforms: [
      { platform: 'acme_os', description: 'ACME OS', source: 'local', netmiko_device_type: 'cisco_ios', input: 'cli' },
      { platform: 'cisco_ios', description: '', source: 'built-in', netmiko_device_type: 'cisco_ios', input: 'cli' },
      { platform: 'junos_nc', description: '', source: 'built-in', netmiko_device_type: 'juniper_junos', input: 'netconf' },
    ],
    errors: [],
  })

const jumpHosts = () =>
  jsonResponse([
    {
      id: 'j1',
      name: 'bastion-1',
      address: '10.0.0.5',
      port: 22,
      credential: { id: 'c1', name: 'jump' },
      host_key: { key_type: 'ssh-ed25519', fingerprint: 'SHA256:abc', public_key: 'ssh-ed25519 AAAA' },
      devices: [],
      tags: [],
      created_at: '2026-01-01T10:00:00Z',
    },
  ])

async function openDialog() {
  const wrapper = mountWithPrime(DeviceFormDialog, freshPinia(), {
    props: { device: null, visible: false },
    attachTo: document.body,
  })
  await wrapper.setProps({ visible: true })
  await flushPromises()
  return wrapper
}

function fieldErrors(): string[] {
  return [...document.querySelectorAll('[data-test="field-error"]')].map((e) => e.textContent ?? '')
}

async function fill(id: string, value: string): Promise<void> {
  const input = document.getElementById(id) as HTMLInputElement
  input.value = value
  input.dispatchEvent(new Event('input'))
  await flushPromises()
}

async function submit(): Promise<void> {
  document.querySelector('form')!.dispatchEvent(new Event('submit'))
  await flushPromises()
}

beforeEach(() => {
  // PrimeVue's Select listens to matchMedia, which jsdom lacks.
  vi.stubGlobal('matchMedia', () => ({ matches: false, addEventListener() {}, removeEventListener() {} }))
})

afterEach(() => {
  document.body.innerHTML = ''
})

describe('DeviceFormDialog', () => {
  it('refuses an incomplete form without asking the server', async () => {
    const fetchMock = mockFetch(TAGS, platforms(), jumpHosts())
    await openDialog()
    await submit()
    expect(fieldErrors()).toEqual(['Enter a hostname.', 'Enter an IP address or a DNS name.'])
    expect(fetchMock).toHaveBeenCalledTimes(3) // the tag, platform and jump host lists only
  })

  it('drops a field error once that field is changed', async () => {
    mockFetch(TAGS, platforms(), jumpHosts())
    await openDialog()
    await submit()
    await fill('device-hostname', 'edge-01')
    expect(fieldErrors()).toEqual(['Enter an IP address or a DNS name.'])
  })

  it("shows the API's validation errors at their fields and keeps the dialog open", async () => {
    const fetchMock = mockFetch(
      TAGS,
      platforms(),
      jumpHosts(),
      jsonResponse(
        { error: 'invalid request', detail: [{ field: 'ip_address', message: 'not a routable address' }] },
        422,
      ),
    )
    const wrapper = await openDialog()
    await fill('device-hostname', 'edge-01')
    await fill('device-ip', '10.1.1.1')
    await submit()

    const [, init] = fetchMock.mock.calls[3]!
    expect(JSON.parse(String(init?.body))).toMatchObject({
      hostname: 'edge-01',
      ip_address: '10.1.1.1',
      device_type: 'cisco_ios',
      port: 22,
      timeout_seconds: null,
      legacy_ssh: false,
      transport: 'ssh',
      jump_host_id: null,
    })
    expect(fieldErrors()).toEqual(['not a routable address'])
    expect(wrapper.emitted('saved')).toBeUndefined()
  })

  it('shows an address outside the management networks at the IP address field', async () => {
    const text = '10.9.9.9 is outside the management networks (10.0.0.0/8): an admin must add its network first'
    mockFetch(TAGS, platforms(), jumpHosts(), jsonResponse({ error: text, detail: text, management_networks: ['10.0.0.0/8'] }, 422))
    const wrapper = await openDialog()
    await fill('device-hostname', 'edge-01')
    await fill('device-ip', '10.9.9.9')
    await submit()
    expect(fieldErrors()).toEqual([text])
    expect(wrapper.emitted('saved')).toBeUndefined()
  })

  it('offers the platforms the api lists, local drivers marked', async () => {
    mockFetch(TAGS, platforms(), jumpHosts())
    await openDialog()
    ;(document.querySelector('#device-type') as HTMLElement).closest('.p-select')!.dispatchEvent(new Event('click'))
    await flushPromises()
    const options = [...document.querySelectorAll('.p-select-option')].map((o) => o.textContent?.trim())
    expect(options).toEqual(['acme_os (local)', 'cisco_ios', 'junos_nc'])
  })

  it("moves a port left at the old type's usual one to the new type's, and keeps one typed", async () => {
    mockFetch(TAGS, platforms())
    const wrapper = await openDialog()
    const port = () => (document.getElementById('device-port') as HTMLInputElement).value
    const choose = async (type: string) => {
      wrapper.findComponent(Select).vm.$emit('update:modelValue', type)
      await flushPromises()
    }
    await choose('junos_nc')
    expect(port()).toBe('830')
    await choose('cisco_ios')
    expect(port()).toBe('22')
    wrapper.findComponent(InputNumber).vm.$emit('update:modelValue', 2222)
    await choose('junos_nc')
    expect(port()).toBe('2222')
  })

  it('shows a device type no driver has at the device type field', async () => {
    const text = "device_type: no driver for 'gone_os' (supported: acme_os, cisco_ios)"
    mockFetch(TAGS, platforms(), jumpHosts(), jsonResponse({ error: text, detail: text, platforms: ['acme_os', 'cisco_ios'] }, 422))
    const wrapper = await openDialog()
    await fill('device-hostname', 'edge-01')
    await fill('device-ip', '10.1.1.1')
    await submit()
    expect(fieldErrors()).toEqual([text])
    expect(wrapper.emitted('saved')).toBeUndefined()
  })

  it('shows a taken hostname at the hostname field', async () => {
    mockFetch(TAGS, platforms(), jumpHosts(), jsonResponse({ error: "a device named 'edge-01' already exists", detail: null }, 409))
    await openDialog()
    await fill('device-hostname', 'edge-01')
    await fill('device-ip', '10.1.1.1')
    await submit()
    expect(fieldErrors()).toEqual(["a device named 'edge-01' already exists"])
  })

  it('warns that a Telnet device is insecure, and offers it no jump host', async () => {
    mockFetch(TAGS, platforms(), jumpHosts())
    const wrapper = mountWithPrime(DeviceFormDialog, freshPinia(), {
      props: { device: makeDevice({ transport: 'telnet', port: 23 }), visible: false },
      attachTo: document.body,
    })
    await wrapper.setProps({ visible: true })
    await flushPromises()
    expect(document.querySelector('[data-test="telnet-warning"]')?.textContent).toContain('clear text')
    expect(document.getElementById('device-jump-host')?.closest('.p-disabled')).not.toBeNull()
  })

  it('reads the sites when their picker opens, the central workers first', async () => {
    const site = { id: 's1', name: 'branch-a', device_count: 0 }
    const fetchMock = mockFetch(TAGS, platforms(), jumpHosts(), jsonResponse([site]))
    await openDialog()
    expect(fetchMock).toHaveBeenCalledTimes(3)
    ;(document.querySelector('#device-site') as HTMLElement).closest('.p-select')!.dispatchEvent(new Event('click'))
    await flushPromises()
    expect(String(fetchMock.mock.calls[3]![0])).toContain('/api/sites')
    const options = [...document.querySelectorAll('.p-select-option')].map((o) => o.textContent?.trim())
    expect(options).toEqual(['Central: the central workers', 'branch-a'])
  })
})
