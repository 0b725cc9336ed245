import { flushPromises } from '@vue/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { signedIn, submitPasswordChange } from '@/test/auth'
import { makeUser } from '@/test/fixtures'
import { fakeApi, jsonResponse, mountWithPrime } from '@/test/helpers'
import ChangePasswordPage from './ChangePasswordPage.vue'

const toast = vi.hoisted(() => ({ add: vi.fn() }))
const router = vi.hoisted(() => ({ push: vi.fn(), replace: vi.fn() }))
vi.mock('primevue/usetoast', () => ({ useToast: () => toast }))
vi.mock('vue-router', () => ({ useRouter: () => router }))

afterEach(() => {
  vi.unstubAllGlobals()
  router.push.mockReset()
  router.replace.mockReset()
  document.body.innerHTML = ''
})

const BOB = makeUser({ id: 'u2', username: 'bob', role: 'operator', must_change_password: true })

function mountForced(answers: Parameters<typeof fakeApi>[0]) {
  const calls = fakeApi(answers)
  const { pinia, auth } = signedIn(BOB, 'jwt-forced')
  auth.passwordChangeRequired = true
  const wrapper = mountWithPrime(ChangePasswordPage, pinia, { attachTo: document.body })
  return { wrapper, auth, calls }
}

const submit = submitPasswordChange

describe('ChangePasswordPage', () => {
  it('says why, names the user and shows the rules', () => {
    const { wrapper } = mountForced({})
    expect(wrapper.get('h2').text()).toBe('Choose a new password')
    expect(wrapper.get('[data-test="change-password-reason"]').text()).toMatch(/^bob, your password was set for you/)
    expect(wrapper.get('[data-test="password-rules"]').text()).toContain('At least 12 characters')
  })

  it('changes the password, signs back in and lands on the dashboard', async () => {
    const { auth, calls } = mountForced({
      'POST /api/auth/password': () => new Response(null, { status: 204 }),
      'POST /api/auth/token': () => jsonResponse({ access_token: 'jwt-new', token_type: 'bearer', must_change_password: false }),
      'GET /api/users/me': () => jsonResponse({ ...BOB, must_change_password: false }),
    })

    await submit('set-by-the-admin', 'bobs-own-password')

    expect(calls.map((c) => c.call)).toEqual(['POST /api/auth/password', 'POST /api/auth/token', 'GET /api/users/me'])
    expect(auth.passwordChangeRequired).toBe(false)
    expect(auth.token).toBe('jwt-new')
    expect(router.replace).toHaveBeenCalledWith({ name: 'dashboard' })
  })

  it('shows the API error and stays', async () => {
    const { auth } = mountForced({
      'POST /api/auth/password': () =>
        jsonResponse({ error: 'the new password is the same as the current one; choose a different one' }, 422),
    })

    await submit('set-by-the-admin', 'set-by-the-admin')

    expect(document.querySelector('[role="alert"]')?.textContent).toContain('the same as the current one')
    expect(auth.passwordChangeRequired).toBe(true)
    expect(router.replace).not.toHaveBeenCalled()
  })

  it('sends the user to sign in when signing back in failed after the change', async () => {
    const { auth } = mountForced({
      'POST /api/auth/password': () => new Response(null, { status: 204 }),
      'POST /api/auth/token': () => jsonResponse({ error: 'too many attempts' }, 429),
    })

    await submit('set-by-the-admin', 'bobs-own-password')

    expect(auth.isAuthenticated).toBe(false)
    expect(document.querySelector('[role="alert"]')?.textContent).toContain('too many attempts')
    expect(router.replace).toHaveBeenCalledWith({ name: 'login' })
  })

  it('offers a way out: signing out', async () => {
    const { wrapper, auth, calls } = mountForced({
      'POST /api/auth/sign-out': () => new Response(null, { status: 204 }),
    })

    await wrapper.get('[data-test="change-password-sign-out"]').trigger('click')
    await flushPromises()

    expect(calls.map((c) => c.call)).toEqual(['POST /api/auth/sign-out'])
    expect(auth.isAuthenticated).toBe(false)
    expect(router.push).toHaveBeenCalledWith({ name: 'login' })
  })
})
