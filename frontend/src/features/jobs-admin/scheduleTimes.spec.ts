import { describe, expect, it } from 'vitest'
import { nextRuns } from './scheduleTimes'

const iso = (dates: Date[]) => dates.map((d) => d.toISOString())
const at = (value: string) => new Date(value)

describe('nextRuns: cron', () => {
  it('fires in the job timezone, across a daylight-saving change', () => {
    // Friday 2026-03-06 07:00 in New York (EST); DST starts on Sunday 2026-03-08.
    const runs = nextRuns(
      { type: 'cron', expression: '0 9 * * 1-5', timezone: 'America/New_York' },
      { now: at('2026-03-06T12:00:00Z'), count: 5 },
    )
    expect(iso(runs)).toEqual([
      '2026-03-06T14:00:00.000Z', // 09:00 EST
      '2026-03-09T13:00:00.000Z', // 09:00 EDT
      '2026-03-10T13:00:00.000Z',
      '2026-03-11T13:00:00.000Z',
      '2026-03-12T13:00:00.000Z',
    ])
  })

  it('gives the same wall-clock time a different instant in another timezone', () => {
    const now = at('2026-07-01T00:00:00Z')
    const [utc] = nextRuns({ type: 'cron', expression: '30 2 * * *', timezone: 'UTC' }, { now, count: 1 })
    const [tokyo] = nextRuns({ type: 'cron', expression: '30 2 * * *', timezone: 'Asia/Tokyo' }, { now, count: 1 })
    expect(utc!.toISOString()).toBe('2026-07-01T02:30:00.000Z')
    expect(tokyo!.toISOString()).toBe('2026-07-01T17:30:00.000Z') // 02:30 JST on July 2nd
  })

  it('starts at the window start, counting a fire time exactly on it, and stops before its end', () => {
    const runs = nextRuns(
      {
        type: 'cron',
        expression: '0 * * * *',
        timezone: 'UTC',
        start_at: '2026-05-01T10:00:00Z',
        end_at: '2026-05-01T12:30:00Z',
      },
      { now: at('2026-04-01T00:00:00Z'), count: 5 },
    )
    expect(iso(runs)).toEqual(['2026-05-01T10:00:00.000Z', '2026-05-01T11:00:00.000Z', '2026-05-01T12:00:00.000Z'])
  })
})

describe('nextRuns: interval', () => {
  const every15 = { type: 'interval', seconds: 900 } as const

  it('counts slots from the job creation, as the scheduler does', () => {
    const runs = nextRuns(every15, {
      now: at('2026-01-01T10:20:00Z'),
      count: 3,
      createdAt: at('2026-01-01T10:07:00Z'),
    })
    expect(iso(runs)).toEqual(['2026-01-01T10:22:00.000Z', '2026-01-01T10:37:00.000Z', '2026-01-01T10:52:00.000Z'])
  })

  it('counts from start_at when given, waiting for it when it lies ahead', () => {
    const runs = nextRuns(
      { ...every15, start_at: '2026-01-02T00:00:00Z' },
      { now: at('2026-01-01T10:20:00Z'), count: 2, createdAt: at('2025-12-01T00:00:00Z') },
    )
    expect(iso(runs)).toEqual(['2026-01-02T00:00:00.000Z', '2026-01-02T00:15:00.000Z'])
  })

  it('fires a new job right away, then every interval', () => {
    const now = at('2026-01-01T10:20:00Z')
    expect(iso(nextRuns(every15, { now, count: 2 }))).toEqual(['2026-01-01T10:20:00.000Z', '2026-01-01T10:35:00.000Z'])
  })

  it('drops fire times at or after the window end', () => {
    const runs = nextRuns(
      { ...every15, end_at: '2026-01-01T10:45:00Z' },
      { now: at('2026-01-01T10:20:00Z'), count: 5, createdAt: at('2026-01-01T10:00:00Z') },
    )
    expect(iso(runs)).toEqual(['2026-01-01T10:30:00.000Z'])
  })
})

describe('nextRuns: one-time and manual', () => {
  const now = at('2026-01-01T00:00:00Z')

  it('a one-time job fires once, if its time is ahead', () => {
    expect(iso(nextRuns({ type: 'onetime', run_at: '2026-02-01T08:00:00Z' }, { now, count: 5 }))).toEqual([
      '2026-02-01T08:00:00.000Z',
    ])
    expect(nextRuns({ type: 'onetime', run_at: '2025-12-31T08:00:00Z' }, { now, count: 5 })).toEqual([])
  })

  it('a manual job never fires by itself', () => {
    expect(nextRuns({ type: 'manual' }, { now, count: 5 })).toEqual([])
  })
})
