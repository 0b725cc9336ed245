import { describe, expect, it } from 'vitest'
import { accessToken } from '@/test/helpers'
import { expiresAt, renewalDelay } from './tokenRenewal'

describe('token renewal timing', () => {
  it('reads the expiry of a JWT', () => {
    const now = Date.now()
    const expiry = expiresAt(accessToken(1800))!
    expect(Math.abs(expiry - (now + 1_800_000))).toBeLessThan(1000)
  })

  it('reads a base64url payload that plain base64 would spell with + and /', () => {
    // {"exp":1700000000,"n":"??>"} holds bytes that base64url writes as - and _
    const payload = btoa('{"exp":1700000000,"n":"??>"}').replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
    expect(payload).toMatch(/[-_]/)
    expect(expiresAt(`h.${payload}.s`)).toBe(1_700_000_000_000)
  })

  it.each(['not-a-jwt', 'a.b.c', 'a.eyJzdWIiOiJ1MSJ9.c'])('gives no expiry for %s', (token) => {
    expect(expiresAt(token)).toBeNull()
    expect(renewalDelay(token)).toBeNull()
  })

  it('renews a minute before a long token expires', () => {
    const now = Date.now()
    expect(renewalDelay(accessToken(1800), now)).toBeGreaterThan(1_738_000)
    expect(renewalDelay(accessToken(1800), now)).toBeLessThanOrEqual(1_740_000)
  })

  it('renews a short token halfway, and an expired one at once', () => {
    const now = Date.now()
    const delay = renewalDelay(accessToken(60), now)!
    expect(delay).toBeGreaterThan(29_000)
    expect(delay).toBeLessThanOrEqual(30_000)
    expect(renewalDelay(accessToken(-10), now)).toBe(0)
  })
})
