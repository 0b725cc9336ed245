import { afterEach, describe, expect, it, vi } from 'vitest'
import { mockFetch } from '@/test/helpers'
import { searchApi } from './search'

afterEach(() => vi.unstubAllGlobals())

const answer = (truncated: string | null) =>
  new Response(JSON.stringify([{ device_id: 'd1', hostname: 'r1', commit: 'abc', matches: [] }]), {
    headers: { 'Content-Type': 'application/json', ...(truncated ? { 'X-Results-Truncated': truncated } : {}) },
  })

describe('searchApi.search', () => {
  it('sends the query and reads whether results were left off', async () => {
    const fetchMock = mockFetch(answer('true'))
    const found = await searchApi.search('ip route')
    expect(String(fetchMock.mock.calls[0]![0])).toBe('/api/configs/search?q=ip+route')
    expect(found.truncated).toBe(true)
    expect(found.results.map((r) => r.hostname)).toEqual(['r1'])
  })

  it('says complete when the header says so or is missing', async () => {
    mockFetch(answer('false'), answer(null))
    expect((await searchApi.search('vlan')).truncated).toBe(false)
    expect((await searchApi.search('vlan')).truncated).toBe(false)
  })
})
