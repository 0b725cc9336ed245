// Schedules in words, for the jobs list and the editor's preview.
import cronstrue from 'cronstrue'
import type { JobSchedule } from '@/api/types'
import { formatDateTime } from '@/utils/format'

const UNITS: Array<[seconds: number, name: string]> = [
  [86400, 'day'],
  [3600, 'hour'],
  [60, 'minute'],
  [1, 'second'],
]

/** "every 15 minutes", "every hour", "every 90 seconds": the largest unit that divides evenly. */
export function describeInterval(seconds: number): string {
  const [size, name] = UNITS.find(([unit]) => seconds % unit === 0) ?? [1, 'second']
  const count = seconds / size
  return count === 1 ? `every ${name}` : `every ${count} ${name}s`
}

/** A cron expression in words ("At 02:30 AM, only on Monday"), or null when it cannot be read. */
export function describeCron(expression: string): string | null {
  try {
    return cronstrue.toString(expression.trim(), { use24HourTimeFormat: true, verbose: false })
  } catch {
    return null
  }
}

export function describeSchedule(schedule: JobSchedule): string {
  switch (schedule.type) {
    case 'manual':
      return 'Manual only'
    case 'interval':
      return capitalize(describeInterval(schedule.seconds))
    case 'cron': {
      const words = describeCron(schedule.expression) ?? schedule.expression
      return `${words} (${schedule.timezone})`
    }
    case 'onetime':
      return `Once, at ${formatDateTime(schedule.run_at)}`
  }
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1)
}

const RUN_TIME: Intl.DateTimeFormatOptions = {
  weekday: 'short',
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
}

/** A fire time in the browser's local time, or in `timeZone` when given. */
export function formatRunTime(date: Date, timeZone?: string): string {
  return new Intl.DateTimeFormat(undefined, { ...RUN_TIME, timeZone }).format(date)
}
