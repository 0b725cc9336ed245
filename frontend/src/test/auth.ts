// Signing in and changing a password, as the auth specs need them.
import { flushPromises } from '@vue/test-utils'
import { configureClient } from '@/api/client'
import type { User } from '@/api/types'
import { useAuthStore } from '@/stores/auth'
import { freshPinia } from './helpers'

/** A fresh Pinia signed in as `user` with `token`, the API client sending it as the app does. */
export function signedIn(user: User, token: string) {
  const pinia = freshPinia()
  const auth = useAuthStore(pinia)
  auth.token = token
  auth.user = user
  configureClient({ getToken: () => auth.token, onUnauthorized: () => auth.clearSession() })
  return { pinia, auth }
}

/** Type the three fields of the change-password form, then submit it. */
export async function submitPasswordChange(current: string, next: string, repeat = next): Promise<void> {
  for (const [id, value] of [['current-password', current], ['new-password', next], ['new-password-repeat', repeat]]) {
    const input = document.getElementById(id!) as HTMLInputElement
    input.value = value!
    input.dispatchEvent(new Event('input'))
  }
  document.querySelector<HTMLFormElement>('[data-test="change-password-form"]')!.requestSubmit()
  await flushPromises()
}
