import { describe, expect, it } from 'vitest'
import type { ApiToken } from '@/api/apiTokens'
import { rolesUpTo, tokenState } from './tokenForm'

const token = (changes: Partial<ApiToken>): ApiToken => ({
  id: 'k1', name: 'n', role: 'viewer', prefix: 'nrt_x', owner_id: 'u1', owner_username: 'bob',
  created_at: '2026-01-01T00:00:00Z', expires_at: '2026-02-01T00:00:00Z', last_used_at: null,
  last_used_address: null, revoked_at: null, ...changes,
})

describe('rolesUpTo', () => {
  it('offers roles no higher than the signed-in user', () => {
    expect(rolesUpTo('viewer')).toEqual(['viewer'])
    expect(rolesUpTo('operator')).toEqual(['viewer', 'operator'])
    expect(rolesUpTo('admin')).toEqual(['viewer', 'operator', 'admin'])
    expect(rolesUpTo(undefined)).toEqual([])
  })
})

describe('tokenState', () => {
  const january = Date.parse('2026-01-15T00:00:00Z')
  it('tells active, expired and revoked tokens apart, revoked first', () => {
    expect(tokenState(token({}), january)).toBe('active')
    expect(tokenState(token({}), Date.parse('2026-02-01T00:00:00Z'))).toBe('expired')
    expect(tokenState(token({ revoked_at: '2026-01-10T00:00:00Z' }), january)).toBe('revoked')
  })
})
