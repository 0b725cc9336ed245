import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { configureClient, request } from '@/api/client'
import { accessToken, freshPinia, jsonResponse, mockFetch } from '@/test/helpers'
import { useAuthStore } from './auth'

const ME = { id: 'u1', username: 'alice', role: 'operator', auth_source: 'local', must_change_password: false }
const onUnauthorized = vi.fn()

beforeEach(() => {
  localStorage.clear()
  freshPinia()
  onUnauthorized.mockReset()
  // what router/guards.ts does in the app
  const auth = useAuthStore()
  configureClient({ getToken: () => auth.token, renewToken: () => auth.renew(), onUnauthorized })
})

afterEach(() => {
  vi.useRealTimers()
  vi.unstubAllGlobals()
})

const tokenAnswer = (token: string, mustChange = false) =>
  jsonResponse({ access_token: token, token_type: 'bearer', must_change_password: mustChange })

function call(fetchMock: ReturnType<typeof mockFetch>, index: number) {
  const [url, init] = fetchMock.mock.calls[index]!
  return { line: `${init?.method ?? 'GET'} ${url}`, headers: new Headers(init?.headers), init }
}

describe('signing in', () => {
  it('posts the form, keeps the token in memory only, loads the user', async () => {
    const fetchMock = mockFetch(tokenAnswer('jwt-123'), jsonResponse(ME))
    const auth = useAuthStore()

    await auth.login('alice', 's3cret')

    expect(auth.token).toBe('jwt-123')
    expect(auth.isAuthenticated).toBe(true)
    expect(auth.user).toEqual(ME)
    expect(auth.passwordChangeRequired).toBe(false)
    expect(auth.hasRole('operator', 'admin')).toBe(true)
    expect(auth.hasRole('admin')).toBe(false)
    expect(localStorage.length).toBe(0)
    expect(sessionStorage.length).toBe(0)

    const login = call(fetchMock, 0)
    expect(login.line).toBe('POST /api/auth/token')
    expect(String(login.init?.body)).toBe('username=alice&password=s3cret')
    expect(login.init?.credentials).toBe('same-origin')
    expect(call(fetchMock, 1).line).toBe('GET /api/users/me')
    expect(call(fetchMock, 1).headers.get('Authorization')).toBe('Bearer jwt-123')
  })

  it('remembers that the server wants a new password first', async () => {
    mockFetch(tokenAnswer('jwt', true), jsonResponse({ ...ME, must_change_password: true }))
    const auth = useAuthStore()

    await auth.login('alice', 'from-the-admin')

    expect(auth.passwordChangeRequired).toBe(true)
  })

  it('rejects bad credentials with the API message and stays signed out', async () => {
    mockFetch(jsonResponse({ error: 'invalid username or password' }, 401))
    const auth = useAuthStore()

    await expect(auth.login('alice', 'wrong')).rejects.toThrow('invalid username or password')
    expect(auth.isAuthenticated).toBe(false)
    expect(onUnauthorized).not.toHaveBeenCalled()
  })

  it('does not keep a token whose user cannot be loaded', async () => {
    mockFetch(tokenAnswer('jwt'), jsonResponse({ error: 'boom' }, 500))
    const auth = useAuthStore()

    await expect(auth.login('alice', 'pw')).rejects.toThrow('boom')
    expect(auth.token).toBeNull()
  })
})

describe('restoring the session when the app starts', () => {
  it('trades the refresh cookie for a token: a POST with no header, once', async () => {
    const fetchMock = mockFetch(tokenAnswer('from-cookie', true))
    const auth = useAuthStore()

    await auth.restore()
    await auth.restore()

    expect(fetchMock).toHaveBeenCalledOnce()
    const refresh = call(fetchMock, 0)
    expect(refresh.line).toBe('POST /api/auth/refresh')
    expect(refresh.headers.get('Authorization')).toBeNull()
    expect(refresh.init?.credentials).toBe('same-origin')
    expect(auth.token).toBe('from-cookie')
    expect(auth.passwordChangeRequired).toBe(true)
  })

  it('stays signed out without a valid cookie', async () => {
    mockFetch(jsonResponse({ error: 'not signed in: POST /api/auth/token first' }, 401))
    const auth = useAuthStore()

    await auth.restore()

    expect(auth.isAuthenticated).toBe(false)
    expect(onUnauthorized).not.toHaveBeenCalled()
  })
})

describe('keeping the token fresh', () => {
  it('renews a minute before the token expires', async () => {
    vi.useFakeTimers()
    const second = accessToken(1800)
    const fetchMock = mockFetch(tokenAnswer(accessToken(1800)), jsonResponse(ME), tokenAnswer(second))
    const auth = useAuthStore()
    await auth.login('alice', 'pw')

    await vi.advanceTimersByTimeAsync(28 * 60_000)
    expect(fetchMock).toHaveBeenCalledTimes(2)

    await vi.advanceTimersByTimeAsync(60_000 + 1000)
    expect(fetchMock).toHaveBeenCalledTimes(3)
    expect(call(fetchMock, 2).line).toBe('POST /api/auth/refresh')
    expect(call(fetchMock, 2).headers.get('Authorization')).toBeNull()
    expect(auth.token).toBe(second)
  })

  it('stops renewing once signed out', async () => {
    vi.useFakeTimers()
    const fetchMock = mockFetch(tokenAnswer(accessToken(1800)), jsonResponse(ME))
    const auth = useAuthStore()
    await auth.login('alice', 'pw')

    auth.clearSession()
    await vi.advanceTimersByTimeAsync(40 * 60_000)

    expect(fetchMock).toHaveBeenCalledTimes(2)
  })

  it('renews once after a 401, then sends the request again with the new token', async () => {
    const fetchMock = mockFetch(
      jsonResponse({ error: 'token expired' }, 401),
      tokenAnswer('renewed'),
      jsonResponse({ items: [] }),
    )
    const auth = useAuthStore()
    auth.token = 'stale'

    await expect(request('/devices')).resolves.toEqual({ items: [] })

    expect(call(fetchMock, 0).headers.get('Authorization')).toBe('Bearer stale')
    expect(call(fetchMock, 1).line).toBe('POST /api/auth/refresh')
    expect(call(fetchMock, 2).line).toBe('GET /api/devices')
    expect(call(fetchMock, 2).headers.get('Authorization')).toBe('Bearer renewed')
    expect(auth.token).toBe('renewed')
    expect(onUnauthorized).not.toHaveBeenCalled()
  })

  it('gives up after one renewal: a refused cookie reaches the auth layer as the 401', async () => {
    const fetchMock = mockFetch(
      jsonResponse({ error: 'token expired' }, 401),
      jsonResponse({ error: 'signed in too long ago: sign in again' }, 401),
    )
    useAuthStore().token = 'stale'

    await expect(request('/devices')).rejects.toMatchObject({ status: 401, message: 'token expired' })

    expect(fetchMock).toHaveBeenCalledTimes(2)
    expect(onUnauthorized).toHaveBeenCalledOnce()
  })

  it('does not renew twice when the retried request is refused again', async () => {
    const fetchMock = mockFetch(
      jsonResponse({ error: 'token expired' }, 401),
      tokenAnswer('renewed'),
      jsonResponse({ error: 'token revoked' }, 401),
    )
    useAuthStore().token = 'stale'

    await expect(request('/devices')).rejects.toMatchObject({ status: 401, message: 'token revoked' })

    expect(fetchMock).toHaveBeenCalledTimes(3)
    expect(onUnauthorized).toHaveBeenCalledOnce()
  })

  it('shares one renewal between calls refused at the same time', async () => {
    const fetchMock = vi.fn(async (url: string, init?: RequestInit) => {
      if (url === '/api/auth/refresh') return tokenAnswer('renewed')
      const bearer = new Headers(init?.headers).get('Authorization')
      return bearer === 'Bearer renewed' ? jsonResponse({ ok: url }) : jsonResponse({ error: 'token expired' }, 401)
    })
    vi.stubGlobal('fetch', fetchMock)
    useAuthStore().token = 'stale'

    await Promise.all([request('/devices'), request('/jobs'), request('/runs')])

    expect(fetchMock.mock.calls.filter(([url]) => url === '/api/auth/refresh')).toHaveLength(1)
  })

  it('a renewal answered after signing out does not sign the user back in', async () => {
    let answer: (response: Response) => void = () => {}
    vi.stubGlobal('fetch', vi.fn(() => new Promise<Response>((resolve) => (answer = resolve))))
    const auth = useAuthStore()

    const renewal = auth.renew()
    auth.clearSession()
    answer(tokenAnswer('late'))

    await expect(renewal).resolves.toBe(false)
    expect(auth.token).toBeNull()
  })
})

describe('signing out', () => {
  it('asks the server to forget the refresh cookie, then forgets the session here', async () => {
    const fetchMock = mockFetch(tokenAnswer('jwt'), jsonResponse(ME), new Response(null, { status: 204 }))
    const auth = useAuthStore()
    await auth.login('alice', 'pw')

    await auth.logout()

    expect(call(fetchMock, 2).line).toBe('POST /api/auth/sign-out')
    expect(auth.token).toBeNull()
    expect(auth.user).toBeNull()
  })

  it('signs out here all the same when the server cannot be reached, and says so', async () => {
    mockFetch(tokenAnswer('jwt'), jsonResponse(ME), new TypeError('Failed to fetch'))
    const auth = useAuthStore()
    await auth.login('alice', 'pw')

    await expect(auth.logout()).rejects.toMatchObject({ status: 0 })
    expect(auth.isAuthenticated).toBe(false)
  })
})

describe('changing the password', () => {
  it('sends current and new password, then signs straight back in with the new one', async () => {
    const fetchMock = mockFetch(
      tokenAnswer('first', true),
      jsonResponse({ ...ME, must_change_password: true }),
      new Response(null, { status: 204 }),
      tokenAnswer('second'),
      jsonResponse(ME),
    )
    const auth = useAuthStore()
    await auth.login('alice', 'from-the-admin')

    await auth.changePassword('from-the-admin', 'only-alice-knows')

    const change = call(fetchMock, 2)
    expect(change.line).toBe('POST /api/auth/password')
    expect(change.headers.get('Authorization')).toBe('Bearer first')
    expect(JSON.parse(String(change.init?.body))).toEqual({
      current_password: 'from-the-admin',
      new_password: 'only-alice-knows',
    })
    expect(call(fetchMock, 3).line).toBe('POST /api/auth/token')
    expect(String(call(fetchMock, 3).init?.body)).toBe('username=alice&password=only-alice-knows')
    expect(auth.token).toBe('second')
    expect(auth.passwordChangeRequired).toBe(false)
  })

  it('keeps the session when the server refuses the change', async () => {
    mockFetch(
      tokenAnswer('first'),
      jsonResponse(ME),
      jsonResponse({ error: 'the current password is wrong; type the password you signed in with' }, 422),
    )
    const auth = useAuthStore()
    await auth.login('alice', 'pw')

    await expect(auth.changePassword('not-it', 'only-alice-knows')).rejects.toThrow('current password is wrong')
    expect(auth.token).toBe('first')
  })
})

describe('a refusal answered after another call renewed the token', () => {
  it('retries with that token instead of renewing again', async () => {
    const fetchMock = mockFetch(jsonResponse({ error: 'token expired' }, 401), jsonResponse({ items: [] }))
    const auth = useAuthStore()
    auth.token = 'stale'
    const pending = request('/devices')
    auth.token = 'renewed-by-another-call'

    await pending

    expect(fetchMock).toHaveBeenCalledTimes(2)
    expect(call(fetchMock, 1).headers.get('Authorization')).toBe('Bearer renewed-by-another-call')
  })
})
