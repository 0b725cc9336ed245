import { flushPromises } from '@vue/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { useDevicesStore } from '@/stores/devices'
import { freshPinia, jsonResponse, mountWithPrime } from '@/test/helpers'
import DeviceFilters from './DeviceFilters.vue'

const PLATFORMS = {
  platforms: [
    { platform: 'cisco_ios', description: 'Cisco IOS', source: 'built-in', netmiko_device_type: 'cisco_ios', input: 'cli' },
    { platform: 'acme_os', description: 'ACME', source: 'local', netmiko_device_type: 'cisco_ios', input: 'cli' },
  ],
  errors: [],
}

function answering(): ReturnType<typeof vi.fn<typeof fetch>> {
  const fetchMock = vi.fn<typeof fetch>((input) =>
    Promise.resolve(String(input).startsWith('/api/platforms') ? jsonResponse(PLATFORMS) : jsonResponse([])),
  )
  vi.stubGlobal('fetch', fetchMock)
  return fetchMock
}

afterEach(() => vi.unstubAllGlobals())

describe('the device filters', () => {
  it('offer the platforms from the API, local drivers marked, and filter the list by one', async () => {
    vi.stubGlobal('matchMedia', () => ({ matches: false, addEventListener() {}, removeEventListener() {} }))
    const fetchMock = answering()
    const pinia = freshPinia()
    const devices = useDevicesStore(pinia)
    const setQuery = vi.spyOn(devices, 'setQuery').mockResolvedValue(undefined)
    const wrapper = mountWithPrime(DeviceFilters, pinia)
    await flushPromises()

    expect(fetchMock.mock.calls.map((call) => String(call[0]))).toContain('/api/platforms')
    const filter = wrapper.findAllComponents({ name: 'FilterSelect' }).find((f) => f.props('label') === 'Platform')!
    expect(filter.props('options')).toEqual([
      { label: 'cisco_ios', value: 'cisco_ios' },
      { label: 'acme_os (local)', value: 'acme_os' },
    ])
    filter.vm.$emit('update:modelValue', 'acme_os')
    expect(setQuery).toHaveBeenCalledWith({ device_type: 'acme_os' })
  })

  it('filter stale or fresh devices', async () => {
    vi.stubGlobal('matchMedia', () => ({ matches: false, addEventListener() {}, removeEventListener() {} }))
    answering()
    const pinia = freshPinia()
    const devices = useDevicesStore(pinia)
    const setQuery = vi.spyOn(devices, 'setQuery').mockResolvedValue(undefined)
    const wrapper = mountWithPrime(DeviceFilters, pinia)
    await flushPromises()

    const filter = wrapper.findAllComponents({ name: 'FilterSelect' }).find((f) => f.props('label') === 'Freshness')!
    expect(filter.props('options')).toEqual([
      { value: 'true', label: 'Stale' },
      { value: 'false', label: 'Fresh' },
    ])
    filter.vm.$emit('update:modelValue', 'true')
    expect(setQuery).toHaveBeenCalledWith({ stale: 'true' })
  })

  it('filter by model, OS version and serial number as the operator types', async () => {
    vi.useFakeTimers()
    vi.stubGlobal('matchMedia', () => ({ matches: false, addEventListener() {}, removeEventListener() {} }))
    answering()
    const pinia = freshPinia()
    const devices = useDevicesStore(pinia)
    const setQuery = vi.spyOn(devices, 'setQuery').mockResolvedValue(undefined)
    const wrapper = mountWithPrime(DeviceFilters, pinia)

    await wrapper.get('[aria-label="Filter by model"]').setValue(' c9300 ')
    vi.advanceTimersByTime(300)
    expect(setQuery).toHaveBeenLastCalledWith({ model: 'c9300' })
    await wrapper.get('[aria-label="Filter by os version"]').setValue('17.3')
    vi.advanceTimersByTime(300)
    expect(setQuery).toHaveBeenLastCalledWith({ os_version: '17.3' })
    await wrapper.get('[aria-label="Filter by os version"]').setValue('')
    vi.advanceTimersByTime(300)
    expect(setQuery).toHaveBeenLastCalledWith({ os_version: null })
    vi.useRealTimers()
  })

  it('offer a site filter once there are sites, the central workers first', async () => {
    vi.stubGlobal('matchMedia', () => ({ matches: false, addEventListener() {}, removeEventListener() {} }))
    const site = { id: 's1', name: 'branch-1', description: '', fingerprint: 'SHA256:x', devices: 2 }
    vi.stubGlobal(
      'fetch',
      vi.fn<typeof fetch>((input) =>
        Promise.resolve(
          String(input).startsWith('/api/sites')
            ? jsonResponse([site])
            : String(input).startsWith('/api/platforms')
              ? jsonResponse(PLATFORMS)
              : jsonResponse([]),
        ),
      ),
    )
    const pinia = freshPinia()
    const devices = useDevicesStore(pinia)
    const setQuery = vi.spyOn(devices, 'setQuery').mockResolvedValue(undefined)
    const wrapper = mountWithPrime(DeviceFilters, pinia)
    await flushPromises()

    const filter = wrapper.findAllComponents({ name: 'FilterSelect' }).find((f) => f.props('label') === 'Site')!
    expect(filter.props('options')).toEqual([
      { value: 'central', label: 'Central workers' },
      { value: 'branch-1', label: 'branch-1' },
    ])
    filter.vm.$emit('update:modelValue', 'branch-1')
    expect(setQuery).toHaveBeenCalledWith({ site: 'branch-1' })
  })

  it('offer no site filter while there are no sites', async () => {
    vi.stubGlobal('matchMedia', () => ({ matches: false, addEventListener() {}, removeEventListener() {} }))
    answering()
    const wrapper = mountWithPrime(DeviceFilters, freshPinia())
    await flushPromises()
    expect(wrapper.findAllComponents({ name: 'FilterSelect' }).map((f) => f.props('label'))).not.toContain('Site')
  })
})
