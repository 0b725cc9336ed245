import { beforeEach, describe, expect, it } from 'vitest'
import { configureClient } from '@/api/client'
import { freshPinia, jsonResponse, mockFetch } from '@/test/helpers'
import { TOKEN_KEY, useAuthStore } from './auth'

const ME = { id: 'u1', username: 'alice', role: 'operator' }

beforeEach(() => {
  localStorage.clear()
  freshPinia()
  // what router/guards.ts does in the app
  const auth = useAuthStore()
  configureClient({ getToken: () => auth.token, onUnauthorized: () => auth.clearSession() })
})

describe('useAuthStore', () => {
  it('logs in: posts the form, stores the token, loads the user', async () => {
    const fetchMock = mockFetch(
      jsonResponse({ access_token: 'jwt-123', token_type: 'bearer' }),
      jsonResponse(ME),
    )
    const auth = useAuthStore()

    await auth.login('alice', 's3cret')

    expect(auth.token).toBe('jwt-123')
    expect(auth.isAuthenticated).toBe(true)
    expect(auth.user).toEqual(ME)
    expect(auth.hasRole('operator', 'admin')).toBe(true)
    expect(auth.hasRole('admin')).toBe(false)
    expect(localStorage.getItem(TOKEN_KEY)).toBe('jwt-123')

    const [tokenUrl, tokenInit] = fetchMock.mock.calls[0]!
    expect(tokenUrl).toBe('/api/auth/token')
    expect(tokenInit?.method).toBe('POST')
    expect(String(tokenInit?.body)).toBe('username=alice&password=s3cret')

    const [meUrl, meInit] = fetchMock.mock.calls[1]!
    expect(meUrl).toBe('/api/users/me')
    expect(new Headers(meInit?.headers).get('Authorization')).toBe('Bearer jwt-123')
  })

  it('rejects bad credentials with the API message and stays signed out', async () => {
    mockFetch(jsonResponse({ error: 'invalid username or password' }, 401))
    const auth = useAuthStore()

    await expect(auth.login('alice', 'wrong')).rejects.toThrow('invalid username or password')
    expect(auth.isAuthenticated).toBe(false)
    expect(localStorage.getItem(TOKEN_KEY)).toBeNull()
  })

  it('does not keep a token whose user cannot be loaded', async () => {
    mockFetch(jsonResponse({ access_token: 'jwt', token_type: 'bearer' }), jsonResponse({ error: 'boom' }, 500))
    const auth = useAuthStore()

    await expect(auth.login('alice', 'pw')).rejects.toThrow('boom')
    expect(auth.token).toBeNull()
  })

  it('logs out: clears token, user and storage', async () => {
    mockFetch(jsonResponse({ access_token: 'jwt', token_type: 'bearer' }), jsonResponse(ME))
    const auth = useAuthStore()
    await auth.login('alice', 'pw')

    auth.logout()

    expect(auth.token).toBeNull()
    expect(auth.user).toBeNull()
    expect(localStorage.getItem(TOKEN_KEY)).toBeNull()
  })

  it('restores the token from localStorage', () => {
    localStorage.setItem(TOKEN_KEY, 'saved')
    freshPinia()
    expect(useAuthStore().token).toBe('saved')
  })
})
