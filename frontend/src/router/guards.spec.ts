import { flushPromises } from '@vue/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createMemoryHistory } from 'vue-router'
import { request } from '@/api/client'
import { useAuthStore } from '@/stores/auth'
import { fakeApi, freshPinia, jsonResponse, mockFetch } from '@/test/helpers'
import { createAppRouter } from './index'
import { safeRedirect } from './guards'

afterEach(() => vi.unstubAllGlobals())

const BOB = { id: 'u1', username: 'bob', role: 'viewer', auth_source: 'local', must_change_password: false }
const FORCED = { ...BOB, must_change_password: true }
const signedIn = (mustChange = false) => () =>
  jsonResponse({ access_token: 'jwt', token_type: 'bearer', must_change_password: mustChange })
const noCookie = () => jsonResponse({ error: 'not signed in: POST /api/auth/token first' }, 401)

function makeRouter() {
  const pinia = freshPinia()
  return { router: createAppRouter(pinia, createMemoryHistory()), auth: useAuthStore(pinia) }
}

describe('auth guard', () => {
  it('sends a visitor without a session to /login, remembering the page', async () => {
    const calls = fakeApi({ 'POST /api/auth/refresh': noCookie })
    const { router } = makeRouter()

    await router.push('/devices?q=core')

    expect(router.currentRoute.value.name).toBe('login')
    expect(router.currentRoute.value.query.redirect).toBe('/devices?q=core')
    expect(calls.map((c) => c.call)).toEqual(['POST /api/auth/refresh'])
  })

  it('restores the session from the refresh cookie, loads the user once, lets them through', async () => {
    const calls = fakeApi({ 'POST /api/auth/refresh': signedIn(), 'GET /api/users/me': () => jsonResponse(BOB) })
    const { router, auth } = makeRouter()

    await router.push('/devices')
    await router.push('/jobs')

    expect(router.currentRoute.value.name).toBe('jobs')
    expect(auth.user?.username).toBe('bob')
    expect(calls.map((c) => c.call)).toEqual(['POST /api/auth/refresh', 'GET /api/users/me'])
  })

  it('skips the login form for a restored session', async () => {
    fakeApi({ 'POST /api/auth/refresh': signedIn(), 'GET /api/users/me': () => jsonResponse(BOB) })
    const { router } = makeRouter()

    await router.push('/login?redirect=/devices')

    expect(router.currentRoute.value.name).toBe('devices')
  })

  it('redirects to login when a later call gets a 401 that renewing does not cure', async () => {
    mockFetch(
      signedIn()(),
      jsonResponse(BOB),
      jsonResponse({ error: 'token revoked' }, 401),
      jsonResponse({ error: 'token revoked' }, 401),
    )
    const { router, auth } = makeRouter()
    await router.push('/devices')

    await auth.fetchUser().catch(() => undefined)
    await flushPromises()

    expect(router.currentRoute.value.name).toBe('login')
    expect(router.currentRoute.value.query.redirect).toBe('/devices')
    expect(auth.token).toBeNull()
  })
})

describe('a password change the server requires', () => {
  it('keeps the user on the "Choose a new password" page, wherever they go', async () => {
    fakeApi({ 'POST /api/auth/refresh': signedIn(true), 'GET /api/users/me': () => jsonResponse(FORCED) })
    const { router } = makeRouter()

    for (const path of ['/devices', '/', '/users', '/login', '/unauthorized', '/no-such-page']) {
      await router.push(path)
      expect(router.currentRoute.value.name, path).toBe('change-password')
    }
  })

  it('is required when only /users/me says so', async () => {
    fakeApi({ 'POST /api/auth/refresh': signedIn(false), 'GET /api/users/me': () => jsonResponse(FORCED) })
    const { router } = makeRouter()

    await router.push('/devices')

    expect(router.currentRoute.value.name).toBe('change-password')
  })

  it('sends the user there when any call answers 403 password_change_required', async () => {
    fakeApi({
      'POST /api/auth/refresh': signedIn(),
      'GET /api/users/me': () => jsonResponse(BOB),
      'GET /api/devices': () =>
        jsonResponse({ error: 'choose a new password first', detail: { reason: 'password_change_required' } }, 403),
    })
    const { router, auth } = makeRouter()
    await router.push('/devices')

    await expect(request('/devices')).rejects.toMatchObject({ status: 403 })
    await flushPromises()

    expect(router.currentRoute.value.name).toBe('change-password')
    expect(auth.passwordChangeRequired).toBe(true)
  })

  it('is not a page to visit once the password is chosen', async () => {
    fakeApi({ 'POST /api/auth/refresh': signedIn(), 'GET /api/users/me': () => jsonResponse(BOB) })
    const { router } = makeRouter()

    await router.push('/change-password')

    expect(router.currentRoute.value.name).toBe('dashboard')
  })

  it('needs a signed-in user', async () => {
    fakeApi({ 'POST /api/auth/refresh': noCookie })
    const { router } = makeRouter()

    await router.push('/change-password')

    expect(router.currentRoute.value.name).toBe('login')
  })
})

describe('safeRedirect', () => {
  it.each([
    ['/devices/1?commit=abc', '/devices/1?commit=abc'],
    ['//evil.example', '/'],
    ['https://evil.example', '/'],
    ['/login?redirect=/x', '/'],
    [undefined, '/'],
  ])('%s → %s', (input, expected) => {
    expect(safeRedirect(input)).toBe(expected)
  })
})
