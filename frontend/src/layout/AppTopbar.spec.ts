import { flushPromises } from '@vue/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { User } from '@/api/types'
import { signedIn } from '@/test/auth'
import { makeUser } from '@/test/fixtures'
import { jsonResponse, mockFetch, mountWithPrime } from '@/test/helpers'
import AppTopbar from './AppTopbar.vue'

const toast = vi.hoisted(() => ({ add: vi.fn() }))
const push = vi.hoisted(() => vi.fn())
vi.mock('primevue/usetoast', () => ({ useToast: () => toast }))
vi.mock('vue-router', () => ({ useRouter: () => ({ push }) }))

afterEach(() => {
  vi.unstubAllGlobals()
  toast.add.mockReset()
  push.mockReset()
  document.body.innerHTML = ''
})

const ALICE = makeUser()

function mountSignedIn(user: User, ...responses: Response[]) {
  const fetchMock = mockFetch(...responses)
  const { pinia, auth } = signedIn(user, 'jwt-1')
  const wrapper = mountWithPrime(AppTopbar, pinia, { attachTo: document.body })
  return { wrapper, auth, fetchMock }
}

describe('AppTopbar sign out', () => {
  it('asks the server to forget the refresh cookie, then goes to sign-in', async () => {
    const { wrapper, auth, fetchMock } = mountSignedIn(ALICE, new Response(null, { status: 204 }))

    await wrapper.get('[data-test="sign-out"]').trigger('click')
    await flushPromises()

    const [url, init] = fetchMock.mock.calls[0]!
    expect(`${init?.method} ${url}`).toBe('POST /api/auth/sign-out')
    expect(auth.isAuthenticated).toBe(false)
    expect(push).toHaveBeenCalledWith({ name: 'login' })
    expect(toast.add).not.toHaveBeenCalled()
  })

  it('signs out here and warns when the server did not answer', async () => {
    const { wrapper, auth } = mountSignedIn(ALICE, jsonResponse({ error: 'bad gateway' }, 502))

    await wrapper.get('[data-test="sign-out"]').trigger('click')
    await flushPromises()

    expect(auth.isAuthenticated).toBe(false)
    expect(push).toHaveBeenCalledWith({ name: 'login' })
    expect(toast.add).toHaveBeenCalledWith(expect.objectContaining({ severity: 'warn', detail: 'bad gateway' }))
  })
})

describe('AppTopbar sign out everywhere', () => {
  it('ends every session on the server, then signs out here', async () => {
    const { wrapper, auth, fetchMock } = mountSignedIn(ALICE, new Response(null, { status: 204 }))

    await wrapper.get('[data-test="sign-out-everywhere"]').trigger('click')
    await flushPromises()

    const [url, init] = fetchMock.mock.calls[0]!
    expect(`${init?.method} ${url}`).toBe('POST /api/auth/sign-out-everywhere')
    expect(new Headers(init?.headers).get('Authorization')).toBe('Bearer jwt-1')
    expect(auth.isAuthenticated).toBe(false)
    expect(push).toHaveBeenCalledWith({ name: 'login' })
  })

  it('stays signed in and says why when the server did not end the sessions', async () => {
    const { wrapper, auth } = mountSignedIn(ALICE, jsonResponse({ error: 'database unavailable: try again' }, 503))

    await wrapper.get('[data-test="sign-out-everywhere"]').trigger('click')
    await flushPromises()

    expect(auth.isAuthenticated).toBe(true)
    expect(push).not.toHaveBeenCalled()
    expect(toast.add).toHaveBeenCalledWith(expect.objectContaining({
      severity: 'error', summary: 'Could not sign out everywhere', detail: expect.stringContaining('database unavailable'),
    }))
  })
})

describe('AppTopbar change password', () => {
  it('opens the Change password dialog for a local account', async () => {
    const { wrapper } = mountSignedIn(ALICE)

    await wrapper.get('[data-test="change-password"]').trigger('click')
    await flushPromises()

    const dialog = document.querySelector('[role="dialog"]')
    expect(dialog?.textContent).toContain('Change password')
    expect(dialog?.querySelector('#current-password')).not.toBeNull()
  })

  it.each(['oidc', 'ldap'] as const)('is not offered to a %s account: the directory keeps that password', (source) => {
    const { wrapper } = mountSignedIn({ ...ALICE, auth_source: source })
    expect(wrapper.find('[data-test="change-password"]').exists()).toBe(false)
    expect(wrapper.find('[data-test="sign-out"]').exists()).toBe(true)
  })
})
