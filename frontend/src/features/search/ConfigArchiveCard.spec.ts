import { flushPromises } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { freshPinia, jsonResponse, mockFetch, mountWithPrime } from '@/test/helpers'
import DatePicker from 'primevue/datepicker'
import ConfigArchiveCard from './ConfigArchiveCard.vue'

const toast = vi.hoisted(() => ({ add: vi.fn() }))
vi.mock('primevue/usetoast', () => ({ useToast: () => toast }))

const saved: string[] = []
beforeEach(() => {
  // PrimeVue's DatePicker asks matchMedia, which jsdom lacks.
  vi.stubGlobal('matchMedia', () => ({ matches: false, addEventListener() {}, removeEventListener() {} }))
  vi.stubGlobal('URL', { createObjectURL: () => 'blob:archive', revokeObjectURL: vi.fn() })
  vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
    saved.push(this.download)
  })
})
afterEach(() => {
  vi.unstubAllGlobals()
  vi.restoreAllMocks()
  toast.add.mockReset()
  saved.length = 0
})

describe('ConfigArchiveCard', () => {
  it('downloads the configs as of now when no time is picked', async () => {
    const fetchMock = mockFetch(
      new Response(new Uint8Array([31, 139]), {
        headers: { 'Content-Disposition': 'attachment; filename="netraven-configs-20261206T120000Z.tar.gz"' },
      }),
    )
    const wrapper = mountWithPrime(ConfigArchiveCard, freshPinia())

    await wrapper.get('[data-test="download-archive"]').trigger('click')
    await flushPromises()

    expect(String(fetchMock.mock.calls[0]![0])).toBe('/api/configs/archive')
    expect(saved).toEqual(['netraven-configs-20261206T120000Z.tar.gz'])
  })

  it('asks for the configs as of the time picked', async () => {
    const fetchMock = mockFetch(
      new Response(new Uint8Array([31, 139]), {
        headers: { 'Content-Disposition': 'attachment; filename="netraven-configs-20261101T080000Z.tar.gz"' },
      }),
    )
    const wrapper = mountWithPrime(ConfigArchiveCard, freshPinia())
    wrapper.getComponent(DatePicker).vm.$emit('update:modelValue', new Date('2026-11-01T08:00:00Z'))
    await flushPromises()

    await wrapper.get('[data-test="download-archive"]').trigger('click')
    await flushPromises()

    expect(String(fetchMock.mock.calls[0]![0])).toBe('/api/configs/archive?at=2026-11-01T08%3A00%3A00.000Z')
    expect(saved).toEqual(['netraven-configs-20261101T080000Z.tar.gz'])
  })

  it('says so when the repository has nothing that old', async () => {
    mockFetch(jsonResponse({ error: 'the config repository has no commit at or before 2000-01-01' }, 404))
    const wrapper = mountWithPrime(ConfigArchiveCard, freshPinia())

    await wrapper.get('[data-test="download-archive"]').trigger('click')
    await flushPromises()

    expect(saved).toEqual([])
    expect(toast.add.mock.calls[0]![0]).toMatchObject({ severity: 'error', summary: 'Could not download the archive' })
    expect(toast.add.mock.calls[0]![0].detail).toContain('no commit at or before')
  })
})
