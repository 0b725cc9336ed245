import { beforeEach, describe, expect, it } from 'vitest'
import { freshPinia, jsonResponse, mockFetch } from '@/test/helpers'
import { useCredentialsStore } from './credentials'

const CRED = {
  id: 'c1',
  name: 'lab',
  username: 'netraven',
  priority: 10,
  tags: ['lab'],
  auth_methods: ['password'],
  private_key_type: null,
  private_key_fingerprint: null,
  has_enable_secret: true,
  success_count: 4,
  failure_count: 1,
  last_success_at: '2026-01-01T00:00:00Z',
}

beforeEach(() => freshPinia())

describe('useCredentialsStore', () => {
  it('sends only the fields given on edit, and re-reads the list', async () => {
    const fetchMock = mockFetch(jsonResponse({ ...CRED, priority: 5 }), jsonResponse([{ ...CRED, priority: 5 }]))
    const store = useCredentialsStore()
    await store.save('c1', { priority: 5 })
    const [url, init] = fetchMock.mock.calls[0]!
    expect([url, init?.method]).toEqual(['/api/credentials/c1', 'PATCH'])
    expect(JSON.parse(String(init?.body))).toEqual({ priority: 5 })
    expect(fetchMock.mock.calls[1]![0]).toBe('/api/credentials')
  })

  it('deletes, then lists what is left', async () => {
    const fetchMock = mockFetch(new Response(null, { status: 204 }), jsonResponse([]))
    const store = useCredentialsStore()
    await store.remove('c1')
    expect(fetchMock.mock.calls[0]![1]?.method).toBe('DELETE')
    expect(store.list.data).toEqual([])
  })
})
