import { beforeEach, describe, expect, it } from 'vitest'
import { createMemoryHistory } from 'vue-router'
import { TOKEN_KEY, useAuthStore } from '@/stores/auth'
import { freshPinia, jsonResponse, mockFetch } from '@/test/helpers'
import { createAppRouter } from './index'
import { safeRedirect } from './guards'

beforeEach(() => localStorage.clear())

function makeRouter() {
  const pinia = freshPinia()
  return { router: createAppRouter(pinia, createMemoryHistory()), auth: useAuthStore(pinia) }
}

describe('auth guard', () => {
  it('sends a signed-out visitor to /login, remembering the page', async () => {
    const { router } = makeRouter()
    await router.push('/devices?q=core')
    expect(router.currentRoute.value.name).toBe('login')
    expect(router.currentRoute.value.query.redirect).toBe('/devices?q=core')
  })

  it('loads the user once, then lets a signed-in user through', async () => {
    localStorage.setItem(TOKEN_KEY, 'jwt')
    const fetchMock = mockFetch(jsonResponse({ id: 'u1', username: 'bob', role: 'viewer' }))
    const { router, auth } = makeRouter()

    await router.push('/devices')

    expect(router.currentRoute.value.name).toBe('devices')
    expect(auth.user?.username).toBe('bob')
    expect(fetchMock).toHaveBeenCalledOnce()
  })

  it('drops an expired token and redirects to login', async () => {
    localStorage.setItem(TOKEN_KEY, 'expired')
    mockFetch(jsonResponse({ error: 'token expired' }, 401))
    const { router, auth } = makeRouter()

    await router.push('/devices')

    expect(router.currentRoute.value.name).toBe('login')
    expect(router.currentRoute.value.query.redirect).toBe('/devices')
    expect(auth.token).toBeNull()
    expect(localStorage.getItem(TOKEN_KEY)).toBeNull()
  })

  it('redirects to login when a later call gets a 401', async () => {
    localStorage.setItem(TOKEN_KEY, 'jwt')
    mockFetch(
      jsonResponse({ id: 'u1', username: 'bob', role: 'viewer' }),
      jsonResponse({ error: 'token expired' }, 401),
    )
    const { router, auth } = makeRouter()
    await router.push('/devices')

    await auth.fetchUser().catch(() => undefined)
    await router.isReady()
    await new Promise((r) => setTimeout(r))

    expect(router.currentRoute.value.name).toBe('login')
    expect(router.currentRoute.value.query.redirect).toBe('/devices')
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
