// When a schedule fires next, computed the way the scheduler does (services/scheduler/.../slots.py):
// interval slots count from start_at (or the job's creation), cron runs in the job's timezone,
// and nothing fires outside the [start_at, end_at) window.
import { CronExpressionParser } from 'cron-parser'
import type { JobSchedule } from '@/api/types'

export interface NextRunsOptions {
  now: Date
  count: number
  /** When the job was created; absent for a job not saved yet (its interval starts on saving). */
  createdAt?: Date | null
}

const toDate = (iso: string | null | undefined): Date | null => (iso ? new Date(iso) : null)

export function nextRuns(schedule: JobSchedule, { now, count, createdAt }: NextRunsOptions): Date[] {
  if (schedule.type === 'manual' || count <= 0) return []
  const start = toDate(schedule.start_at)
  const end = toDate(schedule.end_at)
  const before = (date: Date) => !end || date < end
  switch (schedule.type) {
    case 'interval':
      return intervalRuns(schedule.seconds, start ?? createdAt ?? null, now, count).filter(before)
    case 'cron':
      return cronRuns(schedule.expression, schedule.timezone, start, end, now, count)
    case 'onetime': {
      const at = new Date(schedule.run_at)
      const inWindow = (!start || at >= start) && before(at)
      return at > now && inWindow ? [at] : []
    }
  }
}

function intervalRuns(seconds: number, anchor: Date | null, now: Date, count: number): Date[] {
  const step = seconds * 1000
  let first: number
  if (!anchor) first = now.getTime() // a new job fires its first slot as soon as it is saved
  else if (anchor > now) first = anchor.getTime()
  else first = anchor.getTime() + (Math.floor((now.getTime() - anchor.getTime()) / step) + 1) * step
  return Array.from({ length: count }, (_, n) => new Date(first + n * step))
}

function cronRuns(
  expression: string,
  timezone: string,
  start: Date | null,
  end: Date | null,
  now: Date,
  count: number,
): Date[] {
  // A fire time exactly at start_at counts: begin the search just before it.
  const from = start && start > now ? new Date(start.getTime() - 1) : now
  const cron = CronExpressionParser.parse(expression.trim(), { currentDate: from, tz: timezone })
  const runs: Date[] = []
  try {
    while (runs.length < count && cron.hasNext()) {
      const next = cron.next().toDate()
      if (end && next >= end) break
      runs.push(next)
    }
  } catch {
    // the expression has no further fire time (e.g. 30 February): what was found is all there is
  }
  return runs
}
