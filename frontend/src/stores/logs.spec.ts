import { describe, expect, it } from 'vitest'
import { makeLogEntry } from '@/test/fixtures'
import { fakeApi, freshPinia, jsonResponse, mockFetch } from '@/test/helpers'
import { MAX_ROWS, useLogsStore } from './logs'

const entry = (id: number) => makeLogEntry(id)

const page = (ids: number[], next: string | null) => jsonResponse({ items: ids.map(entry), next_cursor: next })

describe('logs store', () => {
  it('asks the API with its filter names and keyset-pages older entries without repeats', async () => {
    freshPinia()
    const logs = useLogsStore()
    const fetch = mockFetch(page([30, 29], '29'), page([29, 28], null))

    await logs.setFilters({ level: 'error', q: 'timeout', since: '2026-03-01T00:00:00.000Z' })
    await logs.loadOlder()

    const first = new URL(String(fetch.mock.calls[0]![0]), 'http://x').searchParams
    expect(Object.fromEntries(first)).toEqual({
      level: 'error',
      q: 'timeout',
      since: '2026-03-01T00:00:00.000Z',
      limit: '50',
    })
    expect(new URL(String(fetch.mock.calls[1]![0]), 'http://x').searchParams.get('cursor')).toBe('29')
    expect(logs.items.map((e) => e.id)).toEqual([30, 29, 28])
    expect(logs.nextCursor).toBeNull()
    expect(logs.reloads).toBe(1)
  })

  it('puts live lines on top once, in id order, and marks them fresh', () => {
    freshPinia()
    const logs = useLogsStore()
    logs.items = [entry(10), entry(9)]

    logs.addLive(entry(12))
    logs.addLive(entry(11), entry(13), entry(13), entry(10))

    expect(logs.items.map((e) => e.id)).toEqual([13, 12, 11, 10, 9])
    expect([...logs.fresh].sort()).toEqual([11, 12, 13])
  })

  it('drops the oldest rows past the cap and lets "Load older" bring them back', () => {
    freshPinia()
    const logs = useLogsStore()
    logs.items = Array.from({ length: MAX_ROWS }, (_, i) => entry(MAX_ROWS - i))

    logs.addLive(entry(MAX_ROWS + 1))

    expect(logs.items).toHaveLength(MAX_ROWS)
    expect(logs.items[0]!.id).toBe(MAX_ROWS + 1)
    expect(logs.nextCursor).toBe('2')
  })

  it('reads its filters from the URL, ignoring values the API would refuse, and writes them back', () => {
    freshPinia()
    const logs = useLogsStore()

    logs.applyQuery({
      level: 'warning',
      log_type: 'Not A Type!',
      device: '3f2b8c1e-4a5d-4e6f-8a9b-0c1d2e3f4a5b',
      log_job: 'not-a-uuid',
      from: '2026-03-01T10:00:00.000Z',
      to: 'yesterday',
      text: ' ssh ',
      tab: 'logs',
    })

    expect({ ...logs.filters }).toEqual({
      level: 'warning',
      log_type: null,
      job_id: null,
      run_id: null,
      device_id: '3f2b8c1e-4a5d-4e6f-8a9b-0c1d2e3f4a5b',
      since: '2026-03-01T10:00:00.000Z',
      until: null,
      q: 'ssh',
    })
    expect(logs.toQuery()).toEqual({
      level: 'warning',
      log_type: undefined,
      log_job: undefined,
      log_run: undefined,
      device: '3f2b8c1e-4a5d-4e6f-8a9b-0c1d2e3f4a5b',
      from: '2026-03-01T10:00:00.000Z',
      to: undefined,
      text: 'ssh',
    })
  })

  it('accepts the bus log type, which rejected events are logged under', () => {
    freshPinia()
    const logs = useLogsStore()
    logs.applyQuery({ log_type: 'bus' })
    expect(logs.filters.log_type).toBe('bus')
  })

  it('takes the level and type choices from the API, once', async () => {
    freshPinia()
    const logs = useLogsStore()
    const calls = fakeApi({
      'GET /api/logs/levels': () => jsonResponse([{ value: 'info', count: 3 }, { value: 'critical', count: 0 }]),
      'GET /api/logs/types': () => jsonResponse([{ value: 'job', count: 3 }, { value: 'audit', count: 0 }]),
    })

    await logs.loadChoices()
    await logs.loadChoices()

    expect(logs.levelChoices).toEqual(['info', 'critical'])
    expect(logs.typeChoices).toEqual(['job', 'audit'])
    expect(calls.map((c) => c.call)).toEqual(['GET /api/logs/levels', 'GET /api/logs/types'])
    expect(logs.choicesError).toBeNull()
  })

  it('falls back to the words in sight when the API cannot list them, and says so until a retry works', async () => {
    freshPinia()
    const logs = useLogsStore()
    mockFetch(
      jsonResponse({ error: 'down' }, 503),
      jsonResponse({ error: 'down' }, 503),
      jsonResponse([{ value: 'debug', count: 0 }, { value: 'info', count: 1 }]),
      jsonResponse([{ value: 'job', count: 1 }]),
    )
    logs.items = [entry(2), { ...entry(1), level: 'error', log_type: 'connection' }]
    logs.filters.level = 'warning'

    await logs.loadChoices()

    expect(logs.choicesError).not.toBeNull()
    expect(logs.levelChoices).toEqual(['warning', 'info', 'error'])
    expect(logs.typeChoices).toEqual(['job', 'connection'])

    logs.filters.level = null
    await logs.loadChoices()

    expect(logs.choicesError).toBeNull()
    expect(logs.levelChoices).toEqual(['debug', 'info'])
    expect(logs.typeChoices).toEqual(['job'])
  })

  it('drops a level or type from the URL that the API does not list, and reloads without it', async () => {
    freshPinia()
    const logs = useLogsStore()
    const calls = fakeApi({
      'GET /api/logs/levels': () => jsonResponse([{ value: 'info', count: 1 }, { value: 'error', count: 0 }]),
      'GET /api/logs/types': () => jsonResponse([{ value: 'job', count: 1 }]),
      'GET /api/logs?level=error&limit=50': () => jsonResponse({ items: [entry(7)], next_cursor: null }),
    })
    logs.applyQuery({ level: 'error', log_type: 'nonsense' })
    expect(logs.filters.log_type).toBe('nonsense')

    await logs.loadChoices()

    expect(logs.filters.level).toBe('error')
    expect(logs.filters.log_type).toBeNull()
    expect(calls.at(-1)!.call).toBe('GET /api/logs?level=error&limit=50')
    expect(logs.items.map((e) => e.id)).toEqual([7])
  })
})
