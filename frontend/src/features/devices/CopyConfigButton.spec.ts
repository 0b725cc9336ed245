import { flushPromises } from '@vue/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { freshPinia, mountWithPrime } from '@/test/helpers'
import CopyConfigButton from './CopyConfigButton.vue'

const toast = vi.hoisted(() => ({ add: vi.fn() }))
vi.mock('primevue/usetoast', () => ({ useToast: () => toast }))

afterEach(() => {
  vi.unstubAllGlobals()
  toast.add.mockReset()
})

describe('CopyConfigButton', () => {
  it('copies the text and says so', async () => {
    const writeText = vi.fn().mockResolvedValue(undefined)
    vi.stubGlobal('navigator', { clipboard: { writeText } })
    const wrapper = mountWithPrime(CopyConfigButton, freshPinia(), { props: { text: 'hostname r1\n' } })

    await wrapper.get('[data-test="copy-config"]').trigger('click')
    await flushPromises()

    expect(writeText).toHaveBeenCalledWith('hostname r1\n')
    expect(toast.add).toHaveBeenCalledWith(expect.objectContaining({ severity: 'success', summary: 'Copied to clipboard' }))
  })

  it('says so when the browser refuses the clipboard', async () => {
    vi.stubGlobal('navigator', { clipboard: { writeText: vi.fn().mockRejectedValue(new Error('denied')) } })
    const wrapper = mountWithPrime(CopyConfigButton, freshPinia(), { props: { text: 'x' } })

    await wrapper.get('[data-test="copy-config"]').trigger('click')
    await flushPromises()

    expect(toast.add).toHaveBeenCalledWith(expect.objectContaining({ severity: 'error', summary: 'Could not copy' }))
  })
})
