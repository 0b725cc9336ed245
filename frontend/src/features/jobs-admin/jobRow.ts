// What the jobs list shows for one job, beyond its own fields.
import type { Job } from '@/api/types'
import { nextRuns } from './scheduleTimes'

/** The job's next scheduled start, or why there is none. */
export function nextRunOf(job: Job, now = new Date()): Date | 'disabled' | 'manual' | 'none' {
  if (job.schedule.type === 'manual') return 'manual'
  if (!job.enabled) return 'disabled'
  const createdAt = job.created_at ? new Date(job.created_at) : null
  return nextRuns(job.schedule, { now, count: 1, createdAt })[0] ?? 'none'
}

export function targetSummary(job: Job): string {
  const devices = job.device_ids.length
  if (!devices) return ''
  return devices === 1 ? '1 device' : `${devices} devices`
}
