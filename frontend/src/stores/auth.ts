import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { authApi } from '@/api/endpoints'
import type { Role, User } from '@/api/types'

export const TOKEN_KEY = 'netraven.token'

function readToken(): string | null {
  try {
    return localStorage.getItem(TOKEN_KEY)
  } catch {
    return null
  }
}

function writeToken(token: string | null): void {
  try {
    if (token) localStorage.setItem(TOKEN_KEY, token)
    else localStorage.removeItem(TOKEN_KEY)
  } catch {
    // storage unavailable (private mode): the session lives in memory only
  }
}

export const useAuthStore = defineStore('auth', () => {
  const token = ref<string | null>(readToken())
  const user = ref<User | null>(null)

  const isAuthenticated = computed(() => token.value !== null)
  const role = computed<Role | null>(() => user.value?.role ?? null)

  function hasRole(...roles: Role[]): boolean {
    return role.value !== null && roles.includes(role.value)
  }

  /** Load the signed-in user. Throws ApiError (a 401 also clears the session via the client hook). */
  async function fetchUser(): Promise<User> {
    const me = await authApi.me()
    user.value = me
    return me
  }

  /** Exchange credentials for a token, then load the user. Throws ApiError on failure. */
  async function login(username: string, password: string): Promise<User> {
    const response = await authApi.token(username, password)
    token.value = response.access_token
    writeToken(response.access_token)
    try {
      return await fetchUser()
    } catch (err) {
      clearSession()
      throw err
    }
  }

  function clearSession(): void {
    token.value = null
    user.value = null
    writeToken(null)
  }

  function logout(): void {
    clearSession()
  }

  /** End every session of this user on the server (all devices), then here. Throws ApiError and stays
   *  signed in if the server did not confirm, so the user never believes other sessions ended when they did not. */
  async function signOutEverywhere(): Promise<void> {
    await authApi.signOutEverywhere()
    clearSession()
  }

  return { token, user, isAuthenticated, role, hasRole, fetchUser, login, logout, signOutEverywhere, clearSession }
})
