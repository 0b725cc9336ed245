import { flushPromises } from '@vue/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { configureClient } from '@/api/client'
import { TOKEN_KEY, useAuthStore } from '@/stores/auth'
import { freshPinia, jsonResponse, mockFetch, mountWithPrime } from '@/test/helpers'
import AppTopbar from './AppTopbar.vue'

const toast = vi.hoisted(() => ({ add: vi.fn() }))
const push = vi.hoisted(() => vi.fn())
vi.mock('primevue/usetoast', () => ({ useToast: () => toast }))
vi.mock('vue-router', () => ({ useRouter: () => ({ push }) }))

afterEach(() => {
  vi.unstubAllGlobals()
  toast.add.mockReset()
  push.mockReset()
  localStorage.clear()
})

function mountSignedIn(...responses: Response[]) {
  const fetchMock = mockFetch(...responses)
  const pinia = freshPinia()
  const auth = useAuthStore(pinia)
  auth.token = 'jwt-1'
  auth.user = { id: 'u1', username: 'alice', role: 'viewer' }
  localStorage.setItem(TOKEN_KEY, 'jwt-1')
  configureClient({ getToken: () => auth.token, onUnauthorized: () => auth.clearSession() })
  const wrapper = mountWithPrime(AppTopbar, pinia)
  return { wrapper, auth, fetchMock }
}

describe('AppTopbar sign out everywhere', () => {
  it('ends every session on the server, then signs out here', async () => {
    const { wrapper, auth, fetchMock } = mountSignedIn(new Response(null, { status: 204 }))

    await wrapper.get('[data-test="sign-out-everywhere"]').trigger('click')
    await flushPromises()

    const [url, init] = fetchMock.mock.calls[0]!
    expect(`${init?.method} ${url}`).toBe('POST /api/auth/sign-out-everywhere')
    expect(new Headers(init?.headers).get('Authorization')).toBe('Bearer jwt-1')
    expect(auth.isAuthenticated).toBe(false)
    expect(localStorage.getItem(TOKEN_KEY)).toBeNull()
    expect(push).toHaveBeenCalledWith({ name: 'login' })
  })

  it('stays signed in and says why when the server did not end the sessions', async () => {
    const { wrapper, auth } = mountSignedIn(jsonResponse({ error: 'database unavailable: try again' }, 503))

    await wrapper.get('[data-test="sign-out-everywhere"]').trigger('click')
    await flushPromises()

    expect(auth.isAuthenticated).toBe(true)
    expect(push).not.toHaveBeenCalled()
    expect(toast.add).toHaveBeenCalledWith(expect.objectContaining({
      severity: 'error', summary: 'Could not sign out everywhere', detail: expect.stringContaining('database unavailable'),
    }))
  })
})
