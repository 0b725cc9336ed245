// Choices offered by the schedule editor.
import type { ScheduleType } from '@/api/types'
import type { IntervalUnit } from './scheduleForm'

export const SCHEDULE_TYPE_OPTIONS: Array<{ value: ScheduleType; label: string }> = [
  { value: 'manual', label: 'Manual' },
  { value: 'interval', label: 'Interval' },
  { value: 'cron', label: 'Cron' },
  { value: 'onetime', label: 'One time' },
]

export const INTERVAL_UNIT_OPTIONS: Array<{ value: IntervalUnit; label: string }> = [
  { value: 'seconds', label: 'seconds' },
  { value: 'minutes', label: 'minutes' },
  { value: 'hours', label: 'hours' },
]

/** IANA timezones the browser knows, UTC first. */
export function timezoneOptions(): string[] {
  const known = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : []
  return ['UTC', ...known.filter((zone) => zone !== 'UTC')]
}
