import { beforeEach, describe, expect, it } from 'vitest'
import { fakeApi, freshPinia, jsonResponse } from '@/test/helpers'
import { useApiTokensStore } from './apiTokens'

const TOKEN = {
  id: 'k1', name: 'backup-script', role: 'viewer', prefix: 'nrt_AbCdEfGh', owner_id: 'u1', owner_username: 'bob',
  created_at: '2026-01-01T00:00:00Z', expires_at: '2026-04-01T00:00:00Z', last_used_at: null,
  last_used_address: null, revoked_at: null,
}

beforeEach(() => freshPinia())

describe('useApiTokensStore', () => {
  it('creates a token, answers its secret, and re-reads the list that never carries it', async () => {
    const calls = fakeApi({
      'POST /api/tokens': () => jsonResponse({ ...TOKEN, secret: 'nrt_secret' }, 201),
      'GET /api/tokens': () => jsonResponse([TOKEN]),
    })
    const store = useApiTokensStore()
    const created = await store.create({ name: 'backup-script', role: 'viewer', expires_in_days: 90 })
    expect(created.secret).toBe('nrt_secret')
    expect(calls).toEqual([
      { call: 'POST /api/tokens', body: { name: 'backup-script', role: 'viewer', expires_in_days: 90 } },
      { call: 'GET /api/tokens', body: undefined },
    ])
    expect(store.list.data).toEqual([TOKEN])
  })

  it("asks for everyone's tokens when an admin chooses to", async () => {
    const calls = fakeApi({ 'GET /api/tokens?all=true': () => jsonResponse([TOKEN]) })
    const store = useApiTokensStore()
    store.everyone = true
    await store.fetchTokens()
    expect(calls.map((c) => c.call)).toEqual(['GET /api/tokens?all=true'])
    expect(store.list.data).toEqual([TOKEN])
  })

  it('revokes with a DELETE and passes on a refusal', async () => {
    const calls = fakeApi({ 'GET /api/tokens': () => jsonResponse([]) })
    const store = useApiTokensStore()
    await expect(store.revoke('k1')).rejects.toThrow('unexpected DELETE /api/tokens/k1')
    expect(calls.map((c) => c.call)).toEqual(['DELETE /api/tokens/k1'])
  })
})
