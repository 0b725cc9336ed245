import { beforeEach, describe, expect, it } from 'vitest'
import { freshPinia, jsonResponse, mockFetch } from '@/test/helpers'
import { useTagsStore } from './tags'

const CORE = { id: 't1', name: 'core', device_count: 3, credential_count: 1 }

beforeEach(() => freshPinia())

describe('useTagsStore', () => {
  it('changes a tag with a PATCH and re-reads the list with the counts', async () => {
    const fetchMock = mockFetch(jsonResponse({ ...CORE, name: 'backbone' }), jsonResponse([{ ...CORE, name: 'backbone' }]))
    const store = useTagsStore()
    await store.save('t1', { name: 'backbone', jump_host_id: 'j1' })
    const [url, init] = fetchMock.mock.calls[0]!
    expect([url, init?.method, String(init?.body)]).toEqual(['/api/tags/t1', 'PATCH', '{"name":"backbone","jump_host_id":"j1"}'])
    expect(store.list.data).toEqual([{ ...CORE, name: 'backbone' }])
  })

  it('passes on the refusal to delete, and keeps the list', async () => {
    mockFetch(jsonResponse([CORE]), jsonResponse({ error: "the 'default' tag cannot be deleted", detail: null }, 409))
    const store = useTagsStore()
    await store.fetchTags()
    await expect(store.remove('t1')).rejects.toThrow("the 'default' tag cannot be deleted")
    expect(store.list.data).toEqual([CORE])
  })
})
