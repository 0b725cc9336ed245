// The schedule editor's form: what a person types, checked the way the API checks it, and turned
// into the API's schedule. Times in the form are Dates (the browser's local time); the API gets ISO.
import { CronExpressionParser } from 'cron-parser'
import type { JobSchedule, ScheduleType } from '@/api/types'

export const MIN_INTERVAL_SECONDS = 60
export const MAX_INTERVAL_SECONDS = 31 * 24 * 3600

export const INTERVAL_UNITS = { seconds: 1, minutes: 60, hours: 3600 } as const
export type IntervalUnit = keyof typeof INTERVAL_UNITS

export interface ScheduleForm {
  type: ScheduleType
  intervalValue: number | null
  intervalUnit: IntervalUnit
  expression: string
  timezone: string
  runAt: Date | null
  startAt: Date | null
  endAt: Date | null
}

export type ScheduleErrors = Partial<Record<keyof ScheduleForm, string>>

export function browserTimezone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC'
}

export function emptyScheduleForm(): ScheduleForm {
  return {
    type: 'manual',
    intervalValue: 1,
    intervalUnit: 'hours',
    expression: '0 2 * * *',
    timezone: browserTimezone(),
    runAt: null,
    startAt: null,
    endAt: null,
  }
}

/** The largest unit that shows the interval as a whole number. */
function intervalParts(seconds: number): Pick<ScheduleForm, 'intervalValue' | 'intervalUnit'> {
  if (seconds % 3600 === 0) return { intervalValue: seconds / 3600, intervalUnit: 'hours' }
  if (seconds % 60 === 0) return { intervalValue: seconds / 60, intervalUnit: 'minutes' }
  return { intervalValue: seconds, intervalUnit: 'seconds' }
}

const dateOf = (iso: string | null | undefined): Date | null => (iso ? new Date(iso) : null)

export function formFromSchedule(schedule: JobSchedule): ScheduleForm {
  const form = { ...emptyScheduleForm(), type: schedule.type }
  if (schedule.type === 'manual') return form
  Object.assign(form, { startAt: dateOf(schedule.start_at), endAt: dateOf(schedule.end_at) })
  if (schedule.type === 'interval') Object.assign(form, intervalParts(schedule.seconds))
  if (schedule.type === 'cron') Object.assign(form, { expression: schedule.expression, timezone: schedule.timezone })
  if (schedule.type === 'onetime') form.runAt = dateOf(schedule.run_at)
  return form
}

export function intervalSeconds(form: ScheduleForm): number | null {
  return form.intervalValue === null ? null : form.intervalValue * INTERVAL_UNITS[form.intervalUnit]
}

export function scheduleFromForm(form: ScheduleForm): JobSchedule {
  if (form.type === 'manual') return { type: 'manual' }
  const window = { start_at: form.startAt?.toISOString() ?? null, end_at: form.endAt?.toISOString() ?? null }
  switch (form.type) {
    case 'interval':
      return { type: 'interval', seconds: intervalSeconds(form) ?? 0, ...window }
    case 'cron':
      return { type: 'cron', expression: normalizeCron(form.expression), timezone: form.timezone, ...window }
    case 'onetime':
      return { type: 'onetime', run_at: form.runAt?.toISOString() ?? '', ...window }
  }
}

export function normalizeCron(expression: string): string {
  return expression.trim().split(/\s+/).join(' ')
}

/** Why a cron expression is unusable, or null when it is fine. */
export function cronProblem(expression: string, timezone: string): string | null {
  const fields = normalizeCron(expression).split(' ').filter(Boolean)
  if (fields.length !== 5) {
    return 'A cron expression has 5 fields: minute hour day-of-month month day-of-week'
  }
  try {
    CronExpressionParser.parse(fields.join(' '), { tz: timezone }).next()
  } catch (err) {
    return `Not a valid cron expression (or it never fires): ${err instanceof Error ? err.message : err}`
  }
  return null
}

export interface ValidateOptions {
  now?: Date
  /** The saved job's run_at: kept unchanged, it may lie in the past (the job has run). */
  storedRunAt?: Date | null
}

export function validateSchedule(form: ScheduleForm, { now = new Date(), storedRunAt }: ValidateOptions = {}): ScheduleErrors {
  const errors: ScheduleErrors = {}
  if (form.type === 'manual') return errors
  if (form.type === 'interval') {
    const seconds = intervalSeconds(form)
    if (seconds === null || !Number.isInteger(seconds)) errors.intervalValue = 'Enter how often the job runs'
    else if (seconds < MIN_INTERVAL_SECONDS) errors.intervalValue = 'The interval is at least 60 seconds'
    else if (seconds > MAX_INTERVAL_SECONDS) errors.intervalValue = 'The interval is at most 31 days'
  }
  if (form.type === 'cron') {
    if (!form.timezone) errors.timezone = 'Choose a timezone'
    const problem = cronProblem(form.expression, form.timezone || 'UTC')
    if (problem) errors.expression = problem
  }
  if (form.type === 'onetime') {
    if (!form.runAt) errors.runAt = 'Choose when the job runs'
    else if (form.runAt <= now && form.runAt.getTime() !== storedRunAt?.getTime()) errors.runAt = 'This time is in the past: choose a time ahead'
  }
  if (form.startAt && form.endAt && form.endAt <= form.startAt) {
    errors.endAt = 'The end of the window must be after its start'
  }
  return errors
}
