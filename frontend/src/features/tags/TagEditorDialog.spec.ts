import { flushPromises } from '@vue/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { Tag } from '@/api/types'
import { fakeApi, freshPinia, jsonResponse, mountWithPrime } from '@/test/helpers'
import TagEditorDialog from './TagEditorDialog.vue'

const TAG: Tag = {
  id: 't1',
  name: 'core',
  device_count: 2,
  credential_count: 0,
  jump_host_id: null,
  stale_after_hours: 48,
}

afterEach(() => {
  vi.unstubAllGlobals()
  document.body.innerHTML = ''
})

async function openOn(tag: Tag) {
  vi.stubGlobal('matchMedia', () => ({ matches: false, addEventListener() {}, removeEventListener() {} }))
  const calls = fakeApi({
    'GET /api/jump-hosts': () => jsonResponse([]),
    'PATCH /api/tags/t1': () => jsonResponse(TAG),
    'GET /api/tags': () => jsonResponse([TAG]),
  })
  const wrapper = mountWithPrime(TagEditorDialog, freshPinia(), { props: { visible: false, tag }, attachTo: document.body })
  await wrapper.setProps({ visible: true })
  await flushPromises()
  return calls
}

describe('TagEditorDialog', () => {
  it('shows and sends the hours after which its devices are stale', async () => {
    const calls = await openOn(TAG)
    const hours = document.querySelector<HTMLInputElement>('#tag-stale-after')!
    expect(hours.value).toBe('48')
    document.querySelector('form')!.dispatchEvent(new Event('submit'))
    await flushPromises()
    expect(calls.find((c) => c.call === 'PATCH /api/tags/t1')!.body).toEqual({
      name: 'core',
      jump_host_id: null,
      stale_after_hours: 48,
    })
  })

  it('sends null for the default when left empty', async () => {
    const calls = await openOn({ ...TAG, stale_after_hours: null })
    expect(document.querySelector<HTMLInputElement>('#tag-stale-after')!.value).toBe('')
    document.querySelector('form')!.dispatchEvent(new Event('submit'))
    await flushPromises()
    expect(calls.find((c) => c.call === 'PATCH /api/tags/t1')!.body).toMatchObject({ stale_after_hours: null })
  })
})
