import { flushPromises } from '@vue/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { ConfigFilter } from '@/api/configFilters'
import { fakeApi, freshPinia, jsonResponse, mountWithPrime } from '@/test/helpers'
import FilterEditorDialog from './FilterEditorDialog.vue'

const FILTER: ConfigFilter = {
  id: 'f1',
  name: 'locations',
  platform: 'cisco_ios',
  tag: null,
  tag_id: null,
  redactions: [{ pattern: '^(snmp-server location) .+', separator: ' ' }],
  noise: [],
  enabled: true,
  version: 2,
  created_at: '2026-12-01T10:00:00Z',
  updated_at: '2026-12-02T10:00:00Z',
}
const REFUSAL = {
  error: 'invalid request',
  detail: [{ field: 'redactions.0.pattern', message: 'Value error, not a regular expression (missing ))' }],
}

afterEach(() => {
  vi.unstubAllGlobals()
  document.body.innerHTML = ''
})

async function openOn(filter: ConfigFilter) {
  vi.stubGlobal('matchMedia', () => ({ matches: false, addEventListener() {}, removeEventListener() {} }))
  const calls = fakeApi({
    'GET /api/platforms': () => jsonResponse({ platforms: [], errors: [] }),
    'GET /api/tags': () => jsonResponse([]),
    'GET /api/devices?limit=50': () => jsonResponse({ items: [], total: 0 }),
    'PUT /api/config-filters/f1': () => jsonResponse(REFUSAL, 422),
  })
  const wrapper = mountWithPrime(FilterEditorDialog, freshPinia(), {
    props: { visible: false, filter },
    attachTo: document.body,
  })
  await wrapper.setProps({ visible: true })
  await flushPromises()
  return calls
}

describe('FilterEditorDialog', () => {
  it("saves the whole filter as a new version and shows the server's refusal on the pattern's row", async () => {
    const calls = await openOn(FILTER)
    const pattern = document.querySelector<HTMLInputElement>('input[aria-label="Redactions 1"]')!
    expect(pattern.value).toBe('^(snmp-server location) .+')
    pattern.value = '(snmp-server location .+'
    pattern.dispatchEvent(new Event('input'))
    document.querySelector('form')!.dispatchEvent(new Event('submit'))
    await flushPromises()

    const put = calls.find((c) => c.call === 'PUT /api/config-filters/f1')!
    expect(put.body).toMatchObject({ name: 'locations', platform: 'cisco_ios', tag: null })
    expect(document.querySelector('[data-test="pattern-error"]')!.textContent).toContain(
      'not a regular expression (missing ))',
    )
    expect(document.querySelector('[data-test="filter-error"]')!.textContent).toContain('The filter was not saved')
  })
})
