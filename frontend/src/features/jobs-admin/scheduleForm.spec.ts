import { describe, expect, it } from 'vitest'
import {
  emptyScheduleForm,
  formFromSchedule,
  scheduleFromForm,
  validateSchedule,
  type ScheduleForm,
} from './scheduleForm'

const NOW = new Date('2026-01-01T12:00:00Z')
const form = (changes: Partial<ScheduleForm>): ScheduleForm => ({ ...emptyScheduleForm(), ...changes })

describe('validateSchedule', () => {
  it('accepts a manual schedule as it is', () => {
    expect(validateSchedule(form({ type: 'manual' }), { now: NOW })).toEqual({})
  })

  it('refuses an interval under 60 seconds, in any unit', () => {
    expect(validateSchedule(form({ type: 'interval', intervalValue: 59, intervalUnit: 'seconds' }), { now: NOW }))
      .toEqual({ intervalValue: 'The interval is at least 60 seconds' })
    expect(validateSchedule(form({ type: 'interval', intervalValue: 1, intervalUnit: 'minutes' }), { now: NOW })).toEqual({})
    expect(validateSchedule(form({ type: 'interval', intervalValue: null }), { now: NOW }).intervalValue).toBe(
      'Enter how often the job runs',
    )
    expect(validateSchedule(form({ type: 'interval', intervalValue: 745, intervalUnit: 'hours' }), { now: NOW }).intervalValue)
      .toBe('The interval is at most 31 days')
  })

  it('wants five cron fields and a valid expression', () => {
    const four = validateSchedule(form({ type: 'cron', expression: '0 2 * *' }), { now: NOW })
    expect(four.expression).toMatch(/5 fields/)
    const bad = validateSchedule(form({ type: 'cron', expression: '61 2 * * *' }), { now: NOW })
    expect(bad.expression).toMatch(/Not a valid cron expression/)
    expect(validateSchedule(form({ type: 'cron', expression: ' */15  *  * * 1-5 ', timezone: 'Europe/Berlin' }), { now: NOW }))
      .toEqual({})
  })

  it('refuses a one-time run in the past, unless it is the saved job\'s own run_at', () => {
    const past = new Date('2025-12-31T00:00:00Z')
    expect(validateSchedule(form({ type: 'onetime', runAt: null }), { now: NOW }).runAt).toBe('Choose when the job runs')
    expect(validateSchedule(form({ type: 'onetime', runAt: past }), { now: NOW }).runAt).toMatch(/in the past/)
    expect(validateSchedule(form({ type: 'onetime', runAt: past }), { now: NOW, storedRunAt: new Date(past) })).toEqual({})
  })

  it('wants the window end after its start', () => {
    const errors = validateSchedule(
      form({ type: 'interval', startAt: new Date('2026-02-01T00:00:00Z'), endAt: new Date('2026-01-15T00:00:00Z') }),
      { now: NOW },
    )
    expect(errors).toEqual({ endAt: 'The end of the window must be after its start' })
  })
})

describe('schedule <-> form', () => {
  it('turns the form into the API schedule, in seconds and ISO times', () => {
    const start = new Date('2026-02-01T06:00:00Z')
    expect(scheduleFromForm(form({ type: 'interval', intervalValue: 90, intervalUnit: 'minutes', startAt: start }))).toEqual({
      type: 'interval',
      seconds: 5400,
      start_at: '2026-02-01T06:00:00.000Z',
      end_at: null,
    })
    expect(scheduleFromForm(form({ type: 'cron', expression: '  0   3 * * 0 ', timezone: 'Asia/Tokyo' }))).toEqual({
      type: 'cron',
      expression: '0 3 * * 0',
      timezone: 'Asia/Tokyo',
      start_at: null,
      end_at: null,
    })
    expect(scheduleFromForm(form({ type: 'manual', startAt: start }))).toEqual({ type: 'manual' })
  })

  it('reads a stored schedule back in the largest whole unit', () => {
    expect(formFromSchedule({ type: 'interval', seconds: 7200 })).toMatchObject({ intervalValue: 2, intervalUnit: 'hours' })
    expect(formFromSchedule({ type: 'interval', seconds: 900 })).toMatchObject({ intervalValue: 15, intervalUnit: 'minutes' })
    expect(formFromSchedule({ type: 'interval', seconds: 90 })).toMatchObject({ intervalValue: 90, intervalUnit: 'seconds' })
    const onetime = formFromSchedule({ type: 'onetime', run_at: '2026-03-01T10:00:00Z', end_at: null })
    expect(onetime.runAt?.toISOString()).toBe('2026-03-01T10:00:00.000Z')
    const cron = { type: 'cron', expression: '0 2 * * *', timezone: 'Europe/Paris', start_at: null, end_at: null } as const
    expect(scheduleFromForm(formFromSchedule(cron))).toEqual(cron)
  })
})
