import { flushPromises } from '@vue/test-utils'
import { beforeEach, describe, expect, it } from 'vitest'
import { freshPinia, jsonResponse, mockFetch } from '@/test/helpers'
import { usePlatformsStore } from './platforms'

const LIST = {
  platforms: [
    { platform: 'acme_os', description: '', source: 'local', netmiko_device_type: 'cisco_ios', input: 'cli' },
    { platform: 'cisco_ios', description: '', source: 'built-in', netmiko_device_type: 'cisco_ios', input: 'cli' },
  ],
  errors: [],
}

beforeEach(() => freshPinia())

describe('usePlatformsStore', () => {
  it('fetches the list once for every form, and again after a failure', async () => {
    const fetchMock = mockFetch(jsonResponse({ error: 'unavailable', detail: null }, 503), jsonResponse(LIST))
    const store = usePlatformsStore()
    store.ensureLoaded()
    await flushPromises()
    expect(store.platforms).toEqual([])
    store.ensureLoaded()
    await flushPromises()
    store.ensureLoaded()
    await flushPromises()
    expect(fetchMock).toHaveBeenCalledTimes(2)
    expect(store.platforms.map((p) => p.platform)).toEqual(['acme_os', 'cisco_ios'])
  })

  it('marks local drivers, and keeps a device type no driver has any more', async () => {
    mockFetch(jsonResponse(LIST))
    const store = usePlatformsStore()
    store.ensureLoaded()
    await flushPromises()
    expect(store.options('cisco_ios').map((o) => o.label)).toEqual(['acme_os (local)', 'cisco_ios'])
    expect(store.options('gone_os')[0]).toEqual({ label: 'gone_os (no driver)', value: 'gone_os' })
  })
})
