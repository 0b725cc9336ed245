import { beforeEach, describe, expect, it } from 'vitest'
import { freshPinia, jsonResponse, mockFetch } from '@/test/helpers'
import { useManagementNetworksStore } from './managementNetworks'

const NETWORK = { id: 'n1', cidr: '10.0.0.0/8', description: 'lab', created_at: '2026-01-01T00:00:00Z' }

beforeEach(() => freshPinia())

describe('useManagementNetworksStore', () => {
  it('replaces the whole list and shows what the api answered, devices outside included', async () => {
    const answer = { networks: [NETWORK], enforced: true, devices_outside: [{ id: 'd9', hostname: 'far', ip_address: '172.16.0.9' }] }
    const fetchMock = mockFetch(jsonResponse({ networks: [], enforced: false, devices_outside: [] }), jsonResponse(answer))
    const store = useManagementNetworksStore()
    await store.fetchNetworks()
    expect(store.state.data?.enforced).toBe(false)

    await store.save([{ cidr: '10.0.0.0/8', description: 'lab' }])
    const [url, init] = fetchMock.mock.calls[1]!
    expect([url, init?.method]).toEqual(['/api/management-networks', 'PUT'])
    expect(JSON.parse(String(init?.body))).toEqual({ networks: [{ cidr: '10.0.0.0/8', description: 'lab' }] })
    expect(store.state.data).toEqual(answer)
  })

  it('keeps the saved list when the api refuses the new one', async () => {
    const saved = { networks: [NETWORK], enforced: true, devices_outside: [] }
    mockFetch(jsonResponse(saved), jsonResponse({ error: '10.0.0.1/24 has host bits set', detail: null }, 422))
    const store = useManagementNetworksStore()
    await store.fetchNetworks()
    await expect(store.save([{ cidr: '10.0.0.1/24', description: '' }])).rejects.toThrow('host bits')
    expect(store.state.data).toEqual(saved)
  })
})
