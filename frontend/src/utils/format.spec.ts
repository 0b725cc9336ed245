import { describe, expect, it } from 'vitest'
import { formatDuration, formatRelative } from './format'

const NOW = Date.parse('2026-03-01T12:00:00Z')

describe('formatRelative', () => {
  it.each([
    ['2026-03-01T11:59:30Z', 'just now'],
    ['2026-03-01T11:57:00Z', '3 minutes ago'],
    ['2026-03-01T09:30:00Z', '2 hours ago'],
    ['2026-02-26T12:00:00Z', '3 days ago'],
    ['2026-03-01T12:10:00Z', 'in 10 minutes'],
  ])('%s → %s', (iso, expected) => {
    expect(formatRelative(iso, NOW)).toBe(expected)
  })

  it('is empty for a missing or unreadable time', () => {
    expect(formatRelative(null, NOW)).toBe('')
    expect(formatRelative('not a time', NOW)).toBe('')
  })
})

describe('formatDuration', () => {
  it.each([
    ['2026-03-01T12:00:42Z', '42s'],
    ['2026-03-01T12:01:05Z', '1m 05s'],
    ['2026-03-01T14:05:00Z', '2h 05m'],
    ['2026-03-04T16:00:00Z', '3d 04h'],
  ])('from noon to %s → %s', (end, expected) => {
    expect(formatDuration('2026-03-01T12:00:00Z', end)).toBe(expected)
  })

  it('is "—" without an end, or when the end comes first', () => {
    expect(formatDuration('2026-03-01T12:00:00Z', null)).toBe('—')
    expect(formatDuration('2026-03-01T12:00:00Z', '2026-03-01T11:00:00Z')).toBe('—')
  })
})
