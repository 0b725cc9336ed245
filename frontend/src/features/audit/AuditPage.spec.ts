import { flushPromises } from '@vue/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createMemoryHistory, createRouter } from 'vue-router'
import { freezeDate, freshPinia, jsonResponse, mountWithPrime } from '@/test/helpers'
import type { AuditEntry, AuditPage as Page } from '@/api/audit'
import AuditPage from './AuditPage.vue'
import { describeChange } from './objectLink'

/** A link that shows where it goes. */
const LINK = { props: ['to'], template: '<a :data-to="JSON.stringify(to)"><slot /></a>' }
const NOW = new Date('2026-12-05T12:00:00Z')
const DEVICE = '11111111-2222-3333-4444-555555555555'

function entry(id: number, changes: Partial<AuditEntry> = {}): AuditEntry {
  return {
    id,
    at: '2026-12-05T11:00:00Z',
    actor_id: 'u1',
    actor_name: 'alice',
    actor_role: 'operator',
    token_id: null,
    action: 'device.update',
    object_type: 'device',
    object_id: DEVICE,
    changes: { port: { old: 22, new: 2222 }, password: '(changed)' },
    source_address: '10.1.2.3',
    outcome: 'success',
    detail: null,
    ...changes,
  }
}

/** Answers each page from these, and records the query of every page asked. */
function serve(...pages: Page[]) {
  const fetchMock = vi.fn(async () => jsonResponse(pages.shift() ?? { items: [], next_before: null }))
  vi.stubGlobal('fetch', fetchMock)
  return () =>
    fetchMock.mock.calls
      .map((call) => new URL(String((call as unknown[])[0]), 'http://x'))
      .filter((url) => url.pathname === '/api/audit')
      .map((url) => Object.fromEntries(url.searchParams))
}

async function mountAt(url: string) {
  vi.stubGlobal('matchMedia', () => ({ matches: false, addEventListener() {}, removeEventListener() {} }))
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [{ path: '/audit', name: 'audit', component: AuditPage }],
  })
  await router.push(url)
  const wrapper = mountWithPrime(AuditPage, freshPinia(), { global: { plugins: [router], stubs: { RouterLink: LINK } } })
  await flushPromises()
  return { wrapper, router }
}

const rows = (wrapper: Awaited<ReturnType<typeof mountAt>>['wrapper']) =>
  wrapper.findAll('[data-test="audit-entries"] tbody tr').map((row) => row.text())

freezeDate(NOW)

afterEach(() => {
  vi.unstubAllGlobals()
  document.body.innerHTML = ''
})

describe('AuditPage', () => {
  it('lists who did what to which object, from where and how it ended, newest first', async () => {
    serve({
      items: [entry(9), entry(8, { actor_id: null, actor_name: null, actor_role: null, outcome: 'denied', action: 'tag.create', object_type: 'tag', object_id: null })],
      next_before: null,
    })
    const { wrapper } = await mountAt('/audit')

    expect(rows(wrapper)).toEqual([
      expect.stringMatching(/alice\s*operator\s*device\.update\s*device\s*11111111\s*success\s*10\.1\.2\.3/),
      expect.stringMatching(/anonymous\s*tag\.create\s*tag\s*denied/),
    ])
    expect(JSON.parse(wrapper.get('[data-test="object-link"]').attributes('data-to')!)).toEqual({ name: 'device', params: { id: DEVICE } })
    expect(wrapper.findAll('button').some((b) => b.text() === 'Load older')).toBe(false)
  })

  it('shows what changed when a row is expanded, a secret only as changed', async () => {
    serve({ items: [entry(9)], next_before: null })
    const { wrapper } = await mountAt('/audit')

    await wrapper.get('[data-test="audit-entries"] tbody tr button').trigger('click')
    const changes = wrapper.get('[data-test="audit-changes"]').text()
    expect(changes).toContain('port22 → 2222')
    expect(changes).toContain('password(changed)')
  })

  it('takes its filters from the URL into the API query', async () => {
    const asked = serve({ items: [], next_before: null })
    const { wrapper } = await mountAt('/audit?actor=alice&action=device.&outcome=failed&outcome_bogus=1&since=2026-12-01T00:00:00.000Z')

    expect(asked()).toEqual([
      { actor: 'alice', action: 'device.', outcome: 'failed', since: '2026-12-01T00:00:00.000Z', limit: '100' },
    ])
    expect(wrapper.get('[data-test="audit-entries"]').text()).toContain('No audit entry matches these filters.')
  })

  it('ignores an outcome the API does not know', async () => {
    const asked = serve({ items: [], next_before: null })
    await mountAt('/audit?outcome=maybe')
    expect(asked()).toEqual([{ limit: '100' }])
  })

  it('loads older entries with the cursor of the last page and appends them', async () => {
    const asked = serve({ items: [entry(9)], next_before: '1764932400000000-9' }, { items: [entry(3, { action: 'job.run' })], next_before: null })
    const { wrapper } = await mountAt('/audit')

    await wrapper.findAll('button').find((b) => b.text() === 'Load older')!.trigger('click')
    await flushPromises()
    expect(asked()[1]).toEqual({ limit: '100', before: '1764932400000000-9' })
    expect(rows(wrapper)).toEqual([expect.stringContaining('device.update'), expect.stringContaining('job.run')])
    expect(wrapper.findAll('button').some((b) => b.text() === 'Load older')).toBe(false)
  })
})

describe('describeChange', () => {
  it('shows old → new, a missing value as a dash, and other values as they are', () => {
    expect(describeChange({ old: null, new: ['10.0.0.0/8'] })).toBe('— → ["10.0.0.0/8"]')
    expect(describeChange('(changed)')).toBe('(changed)')
    expect(describeChange(3)).toBe('3')
  })
})
