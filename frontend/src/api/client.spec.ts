import { afterEach, describe, expect, it, vi } from 'vitest'
import { jsonResponse, mockFetch } from '@/test/helpers'
import { ApiError, buildUrl, configureClient, parseError, request } from './client'

afterEach(() =>
  configureClient({
    getToken: () => null,
    renewToken: async () => false,
    onUnauthorized: () => {},
    onPasswordChangeRequired: () => {},
  }),
)

describe('parseError', () => {
  it('reads the API error shape', async () => {
    const err = await parseError(
      jsonResponse({ error: 'device not found', detail: { id: 'x' } }, 404),
    )
    expect(err).toBeInstanceOf(ApiError)
    expect(err.status).toBe(404)
    expect(err.message).toBe('device not found')
    expect(err.detail).toEqual({ id: 'x' })
  })

  it("falls back to FastAPI's string detail", async () => {
    const err = await parseError(jsonResponse({ detail: 'Not authenticated' }, 401))
    expect(err.message).toBe('Not authenticated')
    expect(err.isUnauthorized).toBe(true)
  })

  it('keeps non-string detail (validation errors) with a generic message', async () => {
    const detail = [{ loc: ['query', 'limit'], msg: 'too big' }]
    const err = await parseError(
      new Response(JSON.stringify({ detail }), { status: 422, statusText: 'Unprocessable Entity' }),
    )
    expect(err.message).toBe('Unprocessable Entity')
    expect(err.detail).toEqual(detail)
  })

  it('handles a non-JSON body', async () => {
    const err = await parseError(new Response('<html>Bad Gateway</html>', { status: 502 }))
    expect(err.status).toBe(502)
    expect(err.message).toBe('Request failed with status 502')
  })
})

describe('request', () => {
  it('prefixes /api, drops empty query values and attaches the bearer token', async () => {
    configureClient({ getToken: () => 'tok-1' })
    const fetchMock = mockFetch(jsonResponse({ items: [], total: 0 }))

    await request('/runs', { query: { status: 'failed', job_id: null, offset: 0, q: '' } })

    const [url, init] = fetchMock.mock.calls[0]!
    expect(url).toBe('/api/runs?status=failed&offset=0')
    expect(new Headers(init?.headers).get('Authorization')).toBe('Bearer tok-1')
  })

  it('sends form data without a token when auth is off', async () => {
    configureClient({ getToken: () => 'tok-1' })
    const fetchMock = mockFetch(jsonResponse({ access_token: 'a', token_type: 'bearer' }))

    await request('/auth/token', { method: 'POST', form: { username: 'u', password: 'p w' }, auth: false })

    const init = fetchMock.mock.calls[0]![1]!
    const headers = new Headers(init.headers)
    expect(headers.get('Authorization')).toBeNull()
    expect(headers.get('Content-Type')).toBe('application/x-www-form-urlencoded')
    expect(String(init.body)).toBe('username=u&password=p+w')
  })

  it('throws ApiError and tells the auth layer about a 401', async () => {
    const onUnauthorized = vi.fn()
    configureClient({ getToken: () => 'expired', onUnauthorized })
    mockFetch(jsonResponse({ error: 'token expired' }, 401))

    await expect(request('/users/me')).rejects.toMatchObject({ status: 401, message: 'token expired' })
    expect(onUnauthorized).toHaveBeenCalledOnce()
  })

  it('sends the same-origin cookies along (the refresh cookie lives under /api/auth)', async () => {
    const fetchMock = mockFetch(jsonResponse({}))
    await request('/auth/refresh', { method: 'POST', auth: false })
    expect(fetchMock.mock.calls[0]![1]?.credentials).toBe('same-origin')
  })

  it('tells the auth layer when the server wants a new password first, and nothing else', async () => {
    const onPasswordChangeRequired = vi.fn()
    const onUnauthorized = vi.fn()
    configureClient({ getToken: () => 'jwt', onPasswordChangeRequired, onUnauthorized })
    mockFetch(
      jsonResponse({ error: 'choose a new password first', detail: { reason: 'password_change_required' } }, 403),
      jsonResponse({ error: 'admins only', detail: { role: 'viewer' } }, 403),
    )

    const first = await request('/devices').catch((err: ApiError) => err)
    expect(first).toMatchObject({ status: 403, isPasswordChangeRequired: true })
    const second = await request('/users').catch((err: ApiError) => err)
    expect(second).toMatchObject({ status: 403, isPasswordChangeRequired: false })

    expect(onPasswordChangeRequired).toHaveBeenCalledOnce()
    expect(onUnauthorized).not.toHaveBeenCalled()
  })

  it('does not end a session the user signed in to while a refused call was being renewed', async () => {
    let token = 'refused'
    const onUnauthorized = vi.fn()
    configureClient({
      getToken: () => token,
      // The renewal fails, but meanwhile the user signed in again on the sign-in page.
      renewToken: async () => {
        token = 'signed-in-again'
        return false
      },
      onUnauthorized,
    })
    const fetchMock = mockFetch(jsonResponse({ error: 'invalid token' }, 401), jsonResponse({ ok: true }))

    await expect(request('/devices')).resolves.toEqual({ ok: true })
    expect(onUnauthorized).not.toHaveBeenCalled()
    expect(new Headers(fetchMock.mock.calls[1]![1]!.headers).get('Authorization')).toBe('Bearer signed-in-again')
  })

  it('does not report a 401 for an anonymous call (wrong password)', async () => {
    const onUnauthorized = vi.fn()
    configureClient({ getToken: () => null, onUnauthorized })
    mockFetch(jsonResponse({ error: 'invalid username or password' }, 401))

    await expect(request('/auth/token', { method: 'POST', auth: false })).rejects.toThrow(
      'invalid username or password',
    )
    expect(onUnauthorized).not.toHaveBeenCalled()
  })

  it('turns a network failure into ApiError with status 0', async () => {
    mockFetch(new TypeError('Failed to fetch'))
    await expect(request('/health')).rejects.toMatchObject({ status: 0 })
  })

  it('returns undefined for 204', async () => {
    mockFetch(new Response(null, { status: 204 }))
    await expect(request('/x', { method: 'DELETE' })).resolves.toBeUndefined()
  })
})

describe('buildUrl', () => {
  it('encodes values', () => {
    expect(buildUrl('/devices', { q: 'core sw&1' })).toBe('/api/devices?q=core+sw%261')
  })
})
