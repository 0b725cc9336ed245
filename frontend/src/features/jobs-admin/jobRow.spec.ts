import { describe, expect, it } from 'vitest'
import type { Job } from '@/api/types'
import { nextRunOf, targetSummary } from './jobRow'

const NOW = new Date('2026-01-01T10:20:00Z')
const job = (changes: Partial<Job>): Job => ({
  id: 'j1',
  name: 'j',
  device_ids: [],
  tags: ['core'],
  schedule: { type: 'interval', seconds: 3600 },
  enabled: true,
  kind: 'backup',
  created_at: '2026-01-01T09:00:00Z',
  ...changes,
})

describe('a job row', () => {
  it('shows the next interval slot from the job creation', () => {
    expect(nextRunOf(job({}), NOW)).toEqual(new Date('2026-01-01T11:00:00Z'))
  })

  it('says why there is no next run', () => {
    expect(nextRunOf(job({ enabled: false }), NOW)).toBe('disabled')
    expect(nextRunOf(job({ schedule: { type: 'manual' } }), NOW)).toBe('manual')
    expect(nextRunOf(job({ schedule: { type: 'onetime', run_at: '2025-12-01T00:00:00Z' } }), NOW)).toBe('none')
  })

  it('counts the devices chosen by id', () => {
    expect(targetSummary(job({ device_ids: [] }))).toBe('')
    expect(targetSummary(job({ device_ids: ['a'] }))).toBe('1 device')
    expect(targetSummary(job({ device_ids: ['a', 'b'] }))).toBe('2 devices')
  })
})
