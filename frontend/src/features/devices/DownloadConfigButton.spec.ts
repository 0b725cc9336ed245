import { flushPromises } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { freshPinia, jsonResponse, mockFetch, mountWithPrime } from '@/test/helpers'
import DownloadConfigButton from './DownloadConfigButton.vue'

const toast = vi.hoisted(() => ({ add: vi.fn() }))
vi.mock('primevue/usetoast', () => ({ useToast: () => toast }))

const saved: string[] = []
beforeEach(() => {
  vi.stubGlobal('URL', { createObjectURL: () => 'blob:config', revokeObjectURL: vi.fn() })
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

function fileResponse(text: string, filename: string): Response {
  return new Response(text, {
    headers: { 'Content-Type': 'text/plain', 'Content-Disposition': `attachment; filename="${filename}"` },
  })
}

describe('DownloadConfigButton', () => {
  it('saves the version the server sends under the name it gives', async () => {
    const fetchMock = mockFetch(fileResponse('hostname r1\n', 'core-sw-01-abcdef12.version.txt'))
    const wrapper = mountWithPrime(DownloadConfigButton, freshPinia(), {
      props: { deviceId: 'd1', commit: 'abcdef1234', output: 'version' },
    })

    await wrapper.get('[data-test="download-config"]').trigger('click')
    await flushPromises()

    expect(String(fetchMock.mock.calls[0]![0])).toBe('/api/devices/d1/configs/abcdef1234/download?output=version')
    expect(saved).toEqual(['core-sw-01-abcdef12.version.txt'])
    expect(toast.add).not.toHaveBeenCalled()
  })

  it('in a version row, is an icon that does not select the row', async () => {
    mockFetch(fileResponse('x', 'r1-abcdef12.cfg'))
    const wrapper = mountWithPrime(DownloadConfigButton, freshPinia(), {
      props: { deviceId: 'd1', commit: 'abcdef1234', output: null, compact: true },
      attachTo: document.body,
    })
    const rowClicked = vi.fn()
    document.body.addEventListener('click', rowClicked)

    await wrapper.get('[data-test="download-version"]').trigger('click')
    await flushPromises()

    expect(wrapper.get('[data-test="download-version"]').attributes('aria-label')).toBe(
      'Download the configuration at abcdef1234',
    )
    expect(saved).toEqual(['r1-abcdef12.cfg'])
    expect(rowClicked).not.toHaveBeenCalled()
    document.body.removeEventListener('click', rowClicked)
    wrapper.unmount()
  })

  it('says why when the server refuses', async () => {
    mockFetch(jsonResponse({ error: 'gitkeeper did not answer' }, 503))
    const wrapper = mountWithPrime(DownloadConfigButton, freshPinia(), {
      props: { deviceId: 'd1', commit: 'latest', output: null },
    })

    await wrapper.get('[data-test="download-config"]').trigger('click')
    await flushPromises()

    expect(saved).toEqual([])
    expect(toast.add).toHaveBeenCalledWith(
      expect.objectContaining({ severity: 'error', summary: 'Could not download the configuration' }),
    )
    expect(toast.add.mock.calls[0]![0].detail).toContain('gitkeeper did not answer')
  })
})
