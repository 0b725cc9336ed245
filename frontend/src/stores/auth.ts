// The signed-in session. The access token lives in this store's memory only, never in storage a script
// could read later; the server keeps the session in an httpOnly refresh cookie, and the store trades that
// cookie for a new access token when the app starts and shortly before each token expires.
import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { ApiError } from '@/api/client'
import { authApi } from '@/api/endpoints'
import type { Role, TokenResponse, User } from '@/api/types'
import { renewalDelay } from './tokenRenewal'

export const useAuthStore = defineStore('auth', () => {
  const token = ref<string | null>(null)
  const user = ref<User | null>(null)
  /** The server answers 403 to everything but the password change until the user chose a new password. */
  const passwordChangeRequired = ref(false)

  const isAuthenticated = computed(() => token.value !== null)
  const role = computed<Role | null>(() => user.value?.role ?? null)

  let renewalTimer: ReturnType<typeof setTimeout> | undefined
  let renewing: Promise<boolean> | null = null
  let restoring: Promise<void> | null = null
  // Bumped when the session ends, so a renewal answered afterwards does not sign the user back in.
  let generation = 0

  function hasRole(...roles: Role[]): boolean {
    return role.value !== null && roles.includes(role.value)
  }

  function startSession(response: TokenResponse): void {
    token.value = response.access_token
    passwordChangeRequired.value = response.must_change_password ?? false
    clearTimeout(renewalTimer)
    const delay = renewalDelay(response.access_token)
    if (delay !== null) renewalTimer = setTimeout(() => void renew(), delay)
  }

  function clearSession(): void {
    generation += 1
    clearTimeout(renewalTimer)
    token.value = null
    user.value = null
    passwordChangeRequired.value = false
  }

  /** Trade the refresh cookie for a new access token; true when there is one. Overlapping calls share one
   *  request. A refusal leaves the session as it is: the next 401 signs the user out (see router/guards.ts). */
  function renew(): Promise<boolean> {
    if (renewing) return renewing
    const started = generation
    renewing = authApi
      .refresh()
      .then((response) => {
        if (generation !== started) return false
        startSession(response)
        return true
      })
      .catch(() => false)
      .finally(() => {
        renewing = null
      })
    return renewing
  }

  /** Pick up the session the refresh cookie holds, once, when the app starts (or was reloaded). */
  function restore(): Promise<void> {
    restoring ??= renew().then(() => undefined)
    return restoring
  }

  /** Load the signed-in user. Throws ApiError (a 401 also clears the session via the client hook). */
  async function fetchUser(): Promise<User> {
    const me = await authApi.me()
    user.value = me
    passwordChangeRequired.value = me.must_change_password ?? passwordChangeRequired.value
    return me
  }

  /** Exchange credentials for a token (the server also sets the refresh cookie), then load the user.
   *  Throws ApiError on failure. */
  async function login(username: string, password: string): Promise<User> {
    startSession(await authApi.token(username, password))
    try {
      return await fetchUser()
    } catch (err) {
      clearSession()
      throw err
    }
  }

  /** Sign out here. Throws ApiError, signed out all the same, when the server could not forget this
   *  browser's refresh cookie: a reload would then sign the user back in until the cookie expires. */
  async function logout(): Promise<void> {
    try {
      await authApi.signOut()
    } finally {
      clearSession()
    }
  }

  /** End every session of this user on the server (all devices), then here. Throws ApiError and stays
   *  signed in if the server did not confirm, so the user never believes other sessions ended when they did not. */
  async function signOutEverywhere(): Promise<void> {
    await authApi.signOutEverywhere()
    clearSession()
  }

  /** Change the password, then sign straight back in with the new one: the change ends every session,
   *  this one included. Throws ApiError (wrong current password, rules); signed out if signing back in failed. */
  async function changePassword(currentPassword: string, newPassword: string): Promise<User> {
    const username = user.value?.username
    if (!username) throw new ApiError(401, 'Sign in first.')
    await authApi.changePassword(currentPassword, newPassword)
    clearSession()
    return login(username, newPassword)
  }

  return {
    token,
    user,
    passwordChangeRequired,
    isAuthenticated,
    role,
    hasRole,
    renew,
    restore,
    fetchUser,
    login,
    logout,
    signOutEverywhere,
    changePassword,
    clearSession,
  }
})
