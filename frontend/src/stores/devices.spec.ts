import { beforeEach, describe, expect, it } from 'vitest'
import { stubEventSource } from '@/test/fakeEventSource'
import { freshPinia, jsonResponse, mockFetch } from '@/test/helpers'
import { useDevicesStore } from './devices'

const PAGE = { items: [], total: 0 }
const run = (status: string) => ({
  id: 'r1',
  job_id: null,
  job_name: null,
  status,
  trigger: 'manual',
  created_at: '2026-01-01T00:00:00Z',
  finished_at: null,
  device_count: 1,
  succeeded: 0,
  failed: 0,
  results: [{ device_id: 'd1', hostname: 'r1', status, error: null, started_at: null, finished_at: null }],
})

beforeEach(() => {
  freshPinia()
})

describe('devices store', () => {
  it('asks the API with the filters, and a new filter goes back to the first page', async () => {
    const fetchMock = mockFetch(jsonResponse(PAGE), jsonResponse(PAGE))
    const store = useDevicesStore()
    await store.setPage(40, 20)
    await store.setQuery({ tag: 'core', status: 'failed' })
    expect(fetchMock.mock.calls[0]![0]).toBe('/api/devices?sort=hostname&limit=20&offset=40')
    expect(fetchMock.mock.calls[1]![0]).toBe('/api/devices?tag=core&status=failed&sort=hostname&limit=20&offset=0')
  })

  it('checks reachability by starting a run and following it to its end', async () => {
    stubEventSource()
    const fetchMock = mockFetch(
      jsonResponse({ run_id: 'r1' }, 202),
      jsonResponse({ token: 't', expires_in: 60 }),
      jsonResponse(run('succeeded')),
    )
    const store = useDevicesStore()
    const checking = store.checkReachability('d1')
    expect(store.checking.has('d1')).toBe(true)
    const finished = await checking
    expect(finished.status).toBe('succeeded')
    expect(store.checking.has('d1')).toBe(false)
    expect(fetchMock.mock.calls.map(([url, init]) => `${init?.method ?? 'GET'} ${url}`)).toEqual([
      'POST /api/devices/d1/reachability',
      'POST /api/logs/stream-token',
      'GET /api/runs/r1',
    ])
  })
})
