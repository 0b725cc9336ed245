import { beforeEach, describe, expect, it, vi } from 'vitest'
import type { Run } from '@/api/types'
import { useJobsStore } from '@/stores/jobs'
import { freshPinia, mountWithPrime } from '@/test/helpers'
import JobRunsTable from './JobRunsTable.vue'

const AT = '2026-01-02T02:00:00Z'
const BASE = { trigger: 'manual', created_at: AT, finished_at: AT, status: 'succeeded' } as const

const RUNS: Run[] = [
  { ...BASE, id: 'r1', job_id: 'j1', job_name: 'Nightly core', device_count: 5, succeeded: 4, failed: 1 },
  { ...BASE, id: 'r2', job_id: null, job_name: null, kind: 'backup', device_count: 1, succeeded: 1, failed: 0 },
  { ...BASE, id: 'r3', job_id: null, job_name: null, kind: 'reachability', device_count: 1, succeeded: 0, failed: 1 },
]

describe('JobRunsTable', () => {
  beforeEach(() => {
    // PrimeVue's Select asks matchMedia, which jsdom lacks.
    vi.stubGlobal('matchMedia', () => ({ matches: false, addEventListener() {}, removeEventListener() {} }))
  })

  it('shows each run’s own ok / failed / total devices, ad-hoc and reachability runs included', () => {
    const pinia = freshPinia()
    useJobsStore().runs.data = { items: RUNS, total: RUNS.length }

    const wrapper = mountWithPrime(JobRunsTable, pinia)

    const rows = wrapper.findAll('tbody tr')
    const cells = rows.map((row) => row.findAll('td'))
    expect(cells.map((c) => c[0]!.text())).toEqual(['Nightly core', 'Ad-hoc run', 'Ad-hoc runreachability check'])
    expect(cells.map((c) => c.at(-1)!.text().replace(/\s+/g, ' '))).toEqual([
      '4 / 1 of 5',
      '1 / 0 of 1',
      '0 / 1 of 1',
    ])
  })
})
