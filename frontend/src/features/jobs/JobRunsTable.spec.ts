import { flushPromises } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { Role, Run } from '@/api/types'
import { useAuthStore } from '@/stores/auth'
import { useJobsStore } from '@/stores/jobs'
import { fakeApi, freshPinia, jsonResponse, mountWithPrime } from '@/test/helpers'
import JobRunsTable from './JobRunsTable.vue'

const toast = vi.hoisted(() => ({ add: vi.fn() }))
vi.mock('primevue/usetoast', () => ({ useToast: () => toast }))

const AT = '2026-01-02T02:00:00Z'
const BASE = { trigger: 'manual', created_at: AT, started_at: AT, finished_at: AT, status: 'succeeded', kind: 'backup' } as const

const RUNS: Run[] = [
  { ...BASE, id: 'r1', job_id: 'j1', job_name: 'Nightly core', device_count: 5, succeeded: 4, failed: 1 },
  { ...BASE, id: 'r2', job_id: null, job_name: null, kind: 'backup', device_count: 1, succeeded: 1, failed: 0 },
  { ...BASE, id: 'r3', job_id: null, job_name: null, kind: 'reachability', device_count: 1, succeeded: 0, failed: 1 },
]
const QUEUED: Run = { ...RUNS[0]!, id: 'r4', status: 'queued', finished_at: null, succeeded: 0, failed: 0 }
const EMPTY_PAGE = () => jsonResponse({ items: [], total: 0 })
const REFRESHES = {
  'GET /api/jobs/status': () => jsonResponse({}),
  'GET /api/runs?limit=20&offset=0': EMPTY_PAGE,
}

function mountTable(runs: Run[], role: Role = 'operator') {
  const pinia = freshPinia()
  useAuthStore(pinia).user = { id: 'u1', username: 'someone', role }
  useJobsStore().runs.data = { items: runs, total: runs.length }
  return mountWithPrime(JobRunsTable, pinia, { attachTo: document.body })
}

const buttonNames = (row: { findAll(selector: string): { attributes(name: string): string | undefined }[] }) =>
  row.findAll('button').map((b) => b.attributes('aria-label'))

describe('JobRunsTable', () => {
  beforeEach(() => {
    // PrimeVue's Select asks matchMedia, which jsdom lacks.
    vi.stubGlobal('matchMedia', () => ({ matches: false, addEventListener() {}, removeEventListener() {} }))
  })
  afterEach(() => {
    vi.unstubAllGlobals()
    toast.add.mockReset()
    document.body.innerHTML = ''
  })

  it('shows each run’s own ok / failed / total devices, ad-hoc and reachability runs included', () => {
    const wrapper = mountTable(RUNS)

    const cells = wrapper.findAll('tbody tr').map((row) => row.findAll('td'))
    expect(cells.map((c) => c[0]!.text())).toEqual(['Nightly core', 'Ad-hoc run', 'Ad-hoc runreachability check'])
    expect(cells.map((c) => c.at(-2)!.text().replace(/\s+/g, ' '))).toEqual([
      '4 / 1 of 5',
      '1 / 0 of 1',
      '0 / 1 of 1',
    ])
  })

  it('offers no cancel once a run is running', () => {
    const wrapper = mountTable([{ ...QUEUED, status: 'running' }])

    expect(buttonNames(wrapper.find('tbody tr'))).toEqual(['Open Nightly core', 'Re-run Nightly core'])
  })

  it('offers open and re-run on a finished run, and cancel only while it is queued', () => {
    const wrapper = mountTable([RUNS[0]!, QUEUED])

    const [finished, queued] = wrapper.findAll('tbody tr')
    expect(buttonNames(finished!)).toEqual(['Open Nightly core', 'Re-run Nightly core'])
    expect(buttonNames(queued!)).toEqual(['Open Nightly core', 'Re-run Nightly core', 'Cancel Nightly core'])
  })

  it('offers a viewer only to open a run', () => {
    const wrapper = mountTable([QUEUED], 'viewer')

    expect(buttonNames(wrapper.find('tbody tr'))).toEqual(['Open Nightly core'])
  })

  it('opens the run clicked', async () => {
    const wrapper = mountTable(RUNS)

    await wrapper.find('button[aria-label="Open Nightly core"]').trigger('click')

    expect(wrapper.emitted('open')).toEqual([['r1']])
  })

  it('re-runs a job’s run by running its job, then opens the new run', async () => {
    const calls = fakeApi({ ...REFRESHES, 'POST /api/jobs/j1/run': () => jsonResponse({ run_id: 'r9' }, 202) })
    const wrapper = mountTable(RUNS)

    await wrapper.find('button[aria-label="Re-run Nightly core"]').trigger('click')
    await flushPromises()

    expect(calls.map((c) => c.call)).toContain('POST /api/jobs/j1/run')
    expect(wrapper.emitted('open')).toEqual([['r9']])
  })

  it('re-runs an ad-hoc reachability check on the same device', async () => {
    const calls = fakeApi({
      ...REFRESHES,
      'GET /api/runs/r3': () => jsonResponse({ ...RUNS[2], results: [{ device_id: 'd7', hostname: 'edge-1' }] }),
      'POST /api/devices/d7/reachability': () => jsonResponse({ run_id: 'r10' }, 202),
    })
    const wrapper = mountTable([RUNS[2]!])

    await wrapper.find('button[aria-label="Re-run Ad-hoc run"]').trigger('click')
    await flushPromises()

    expect(calls.map((c) => c.call)).toContain('POST /api/devices/d7/reachability')
    expect(wrapper.emitted('open')).toEqual([['r10']])
  })

  it('says why a re-run was refused', async () => {
    fakeApi({ 'POST /api/jobs/j1/run': () => jsonResponse({ error: 'job is disabled' }, 409) })
    const wrapper = mountTable(RUNS)

    await wrapper.find('button[aria-label="Re-run Nightly core"]').trigger('click')
    await flushPromises()

    expect(toast.add).toHaveBeenCalledWith(expect.objectContaining({ severity: 'error', detail: 'job is disabled' }))
    expect(wrapper.emitted('open')).toBeUndefined()
  })

  it('cancels a queued run only once confirmed', async () => {
    const calls = fakeApi({ ...REFRESHES, 'POST /api/runs/r4/cancel': () => jsonResponse({ ...QUEUED, results: [] }) })
    const wrapper = mountTable([QUEUED])

    await wrapper.find('button[aria-label="Cancel Nightly core"]').trigger('click')
    await flushPromises()
    expect(calls).toEqual([])

    const confirm = [...document.body.querySelectorAll('button')].find((b) => b.textContent === 'Cancel the run')
    confirm!.click()
    await flushPromises()

    expect(calls.map((c) => c.call)).toContain('POST /api/runs/r4/cancel')
    expect(document.body.textContent).not.toContain('Cancel the run?')
  })
})
