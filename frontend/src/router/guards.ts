// The auth layer: it wires the HTTP client to the auth store and owns every
// redirect that authentication causes, so the fetch helper never touches the router.
import type { Pinia } from 'pinia'
import { START_LOCATION, type RouteLocationRaw, type Router } from 'vue-router'
import { configureClient } from '@/api/client'
import { useAuthStore } from '@/stores/auth'

/** The page a user must pass first when an administrator set their password (or it was generated). */
export const CHANGE_PASSWORD = 'change-password'

/** Where to send someone to sign in, remembering the page they wanted. */
export function loginLocation(fullPath: string): RouteLocationRaw {
  return fullPath && fullPath !== '/' ? { name: 'login', query: { redirect: fullPath } } : { name: 'login' }
}

/** Only follow same-site paths after login (no "//evil.example" or absolute URLs). */
export function safeRedirect(value: unknown): string {
  const path = Array.isArray(value) ? value[0] : value
  if (typeof path !== 'string' || !path.startsWith('/') || path.startsWith('//')) return '/'
  if (path.startsWith('/login')) return '/'
  return path
}

export function installAuth(router: Router, pinia: Pinia): void {
  const auth = useAuthStore(pinia)

  configureClient({
    getToken: () => auth.token,
    renewToken: () => auth.renew(),
    // A 401 on an authenticated call that a renewed token did not cure: the session ended or was revoked.
    onUnauthorized: () => {
      auth.clearSession()
      const current = router.currentRoute.value
      // During the first navigation the guard below handles the redirect itself.
      if (current === START_LOCATION || current.meta.public) return
      void router.replace(loginLocation(current.fullPath))
    },
    onPasswordChangeRequired: () => {
      auth.passwordChangeRequired = true
      const current = router.currentRoute.value
      if (current === START_LOCATION || current.name === CHANGE_PASSWORD) return
      void router.replace({ name: CHANGE_PASSWORD })
    },
  })

  router.beforeEach(async (to) => {
    await auth.restore()
    if (!auth.isAuthenticated) return to.meta.public || loginLocation(to.fullPath)
    if (!auth.user) {
      try {
        await auth.fetchUser()
      } catch {
        // 401: the client hook cleared the token. Anything else (API down) lets the
        // page render and show its own error state.
        if (!auth.isAuthenticated) return to.meta.public || loginLocation(to.fullPath)
      }
    }
    // Until the new password is chosen, that page is the only place to go.
    if (auth.passwordChangeRequired) return to.name === CHANGE_PASSWORD || { name: CHANGE_PASSWORD }
    if (to.name === CHANGE_PASSWORD) return { name: 'dashboard' }
    // Already signed in: skip the login form.
    if (to.name === 'login') return safeRedirect(to.query.redirect)
    const roles = to.matched.flatMap((record) => record.meta.roles ?? [])
    if (roles.length > 0 && auth.user && !auth.hasRole(...roles)) return { name: 'unauthorized' }
    return true
  })

  router.afterEach((to) => {
    document.title = to.meta.title ? `${to.meta.title} · NetRaven` : 'NetRaven'
  })
}
