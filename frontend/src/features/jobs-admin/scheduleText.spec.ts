import { describe, expect, it } from 'vitest'
import { describeCron, describeInterval, describeSchedule, formatRunTime } from './scheduleText'

describe('schedules in words', () => {
  it('says an interval in its largest whole unit', () => {
    expect(describeInterval(60)).toBe('every minute')
    expect(describeInterval(900)).toBe('every 15 minutes')
    expect(describeInterval(3600)).toBe('every hour')
    expect(describeInterval(5400)).toBe('every 90 minutes')
    expect(describeInterval(90)).toBe('every 90 seconds')
    expect(describeInterval(2 * 86400)).toBe('every 2 days')
  })

  it('reads a cron expression aloud, in 24-hour time, and gives up on nonsense', () => {
    expect(describeCron('30 2 * * 1-5')).toBe('At 02:30, Monday through Friday')
    expect(describeCron('*/15 * * * *')).toBe('Every 15 minutes')
    expect(describeCron('not a cron')).toBeNull()
  })

  it('describes each schedule type, naming a cron job\'s timezone', () => {
    expect(describeSchedule({ type: 'manual' })).toBe('Manual only')
    expect(describeSchedule({ type: 'interval', seconds: 3600 })).toBe('Every hour')
    expect(describeSchedule({ type: 'cron', expression: '0 3 * * 0', timezone: 'Europe/Berlin' })).toBe(
      'At 03:00, only on Sunday (Europe/Berlin)',
    )
    expect(describeSchedule({ type: 'onetime', run_at: '2026-03-01T10:00:00Z' })).toMatch(/^Once, at .*2026/)
  })

  it('shows a fire time in a given timezone', () => {
    const instant = new Date('2026-07-01T17:30:00Z')
    expect(formatRunTime(instant, 'Asia/Tokyo')).toMatch(/02:30/)
    expect(formatRunTime(instant, 'UTC')).toMatch(/17:30/)
  })
})
