import { flushPromises } from '@vue/test-utils'
import ToastService from 'primevue/toastservice'
import Tooltip from 'primevue/tooltip'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import type { Role } from '@/api/types'
import { useAuthStore } from '@/stores/auth'
import { freshPinia, jsonResponse, mockFetch, mountWithPrime } from '@/test/helpers'
import JobsPage from './JobsPage.vue'

const JOB = {
  id: 'j1',
  name: 'Nightly core',
  kind: 'reachability',
  device_ids: ['d1', 'd2'],
  tags: ['core'],
  schedule: { type: 'cron', expression: '0 2 * * *', timezone: 'UTC', start_at: null, end_at: null },
  enabled: true,
  created_at: '2026-01-01T00:00:00Z',
}
const RUN = { id: 'r1', job_id: 'j1', job_name: 'Nightly core', status: 'failed', created_at: '2026-01-02T02:00:00Z' }

async function mountAs(role: Role) {
  const pinia = freshPinia()
  useAuthStore().user = { id: 'u1', username: role, role }
  mockFetch(jsonResponse({ items: [JOB], total: 1 }), jsonResponse({ items: [RUN], total: 1 }))
  const wrapper = mountWithPrime(JobsPage, pinia, {
    global: { plugins: [ToastService], directives: { tooltip: Tooltip } },
  })
  await flushPromises()
  return wrapper
}

beforeEach(() => {
  vi.stubGlobal('matchMedia', () => ({ matches: false, addEventListener() {}, removeEventListener() {} }))
})

describe('JobsPage', () => {
  it('lists a job with its targets, schedule in words, kind and last run', async () => {
    const wrapper = await mountAs('operator')
    const row = wrapper.get('tbody tr').text()
    expect(row).toContain('Nightly core')
    expect(row).toContain('Reachability')
    expect(row).toContain('2 devices')
    expect(row).toContain('core')
    expect(row).toContain('At 02:00 (UTC)')
    expect(wrapper.get('tbody [data-status]').attributes('data-status')).toBe('failed')
  })

  it('gives an operator the create, run, edit and delete actions', async () => {
    const wrapper = await mountAs('operator')
    const labels = wrapper.findAll('button').map((b) => b.attributes('aria-label') ?? b.text())
    expect(labels).toEqual(expect.arrayContaining(['New job', 'Run Nightly core now', 'Edit Nightly core', 'Delete Nightly core']))
    expect(wrapper.find('[aria-label="Enabled: Nightly core"]').exists()).toBe(true)
  })

  it('shows a viewer the list without a single action', async () => {
    const wrapper = await mountAs('viewer')
    expect(wrapper.get('tbody tr').text()).toContain('Nightly core')
    const labels = wrapper.findAll('button').map((b) => b.attributes('aria-label') ?? b.text())
    expect(labels.filter((l) => /New job|Run |Edit |Delete /.test(l))).toEqual([])
    expect(wrapper.find('[aria-label="Enabled: Nightly core"]').exists()).toBe(false)
  })
})
