import { afterEach, describe, expect, it, vi } from 'vitest'
import { signedIn, submitPasswordChange } from '@/test/auth'
import { makeUser } from '@/test/fixtures'
import { fakeApi, jsonResponse, openDialog } from '@/test/helpers'
import ChangePasswordDialog from './ChangePasswordDialog.vue'

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

async function openSignedIn(answers: Parameters<typeof fakeApi>[0]) {
  const calls = fakeApi(answers)
  const { pinia, auth } = signedIn(ALICE, 'jwt-old')
  const wrapper = await openDialog(ChangePasswordDialog, pinia)
  return { wrapper, auth, calls }
}

const fill = submitPasswordChange

const errorShown = () => document.querySelector('[data-test="change-password-error"]')?.textContent ?? ''

describe('ChangePasswordDialog', () => {
  it('changes the password, signs back in with the new one, closes and says so', async () => {
    const { wrapper, auth, calls } = await openSignedIn({
      'POST /api/auth/password': () => new Response(null, { status: 204 }),
      'POST /api/auth/token': () => jsonResponse({ access_token: 'jwt-new', token_type: 'bearer' }),
      'GET /api/users/me': () => jsonResponse(ALICE),
    })

    await fill('old-password-1', 'a-new-long-password')

    expect(calls).toEqual([
      { call: 'POST /api/auth/password', body: { current_password: 'old-password-1', new_password: 'a-new-long-password' } },
      { call: 'POST /api/auth/token', body: 'username=alice&password=a-new-long-password' },
      { call: 'GET /api/users/me', body: undefined },
    ])
    expect(auth.token).toBe('jwt-new')
    expect(wrapper.emitted('update:visible')).toEqual([[false]])
    expect(toast.add).toHaveBeenCalledWith(expect.objectContaining({ severity: 'success', summary: 'Password changed' }))
  })

  it('states the rules, and checks them before asking the server', async () => {
    const { calls } = await openSignedIn({})
    expect(document.querySelector('[data-test="password-rules"]')?.textContent).toContain('At least 12 characters')

    await fill('old-password-1', 'too-short')
    expect(errorShown()).toContain('at least 12 characters')

    await fill('old-password-1', 'a-new-long-password', 'a-new-long-passwort')
    expect(errorShown()).toContain('The two new passwords differ.')

    await fill('', 'a-new-long-password')
    expect(errorShown()).toContain('Enter your current password.')
    expect(calls).toEqual([])
  })

  it('shows the server refusing a wrong current password and stays open, still signed in', async () => {
    const { wrapper, auth } = await openSignedIn({
      'POST /api/auth/password': () =>
        jsonResponse({ error: 'the current password is wrong; type the password you signed in with' }, 422),
    })

    await fill('not-my-password', 'a-new-long-password')

    expect(errorShown()).toContain('the current password is wrong')
    expect(wrapper.emitted('update:visible')).toBeUndefined()
    expect(auth.token).toBe('jwt-old')
  })

  it('shows each field the server found invalid', async () => {
    await openSignedIn({
      'POST /api/auth/password': () =>
        jsonResponse(
          {
            error: 'invalid request',
            detail: [{ field: 'new_password', message: 'String should have at most 256 characters' }],
          },
          422,
        ),
    })

    await fill('old-password-1', 'x'.repeat(300))

    expect(errorShown()).toContain('new_password: String should have at most 256 characters')
  })
})
