// The auth layer: it wires the HTTP client to the auth store and owns every
// redirect that authentication causes, so the fetch helper never touches the router.
import type { Pinia } from 'pinia'
import { START_LOCATION, type RouteLocationRaw, type Router } from 'vue-router'
import { configureClient } from '@/api/client'
import { useAuthStore } from '@/stores/auth'

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
    // A 401 on an authenticated call: the token expired or was revoked.
    onUnauthorized: () => {
      auth.clearSession()
      const current = router.currentRoute.value
      // During the first navigation the guard below handles the redirect itself.
      if (current === START_LOCATION || current.meta.public) return
      void router.replace(loginLocation(current.fullPath))
    },
  })

  router.beforeEach(async (to) => {
    if (to.meta.public) {
      // Already signed in: skip the login form.
      if (to.name === 'login' && auth.isAuthenticated) return safeRedirect(to.query.redirect)
      return true
    }
    if (!auth.isAuthenticated) return loginLocation(to.fullPath)
    if (!auth.user) {
      try {
        await auth.fetchUser()
      } catch {
        // 401: the client hook cleared the token. Anything else (API down) lets the
        // page render and show its own error state.
        if (!auth.isAuthenticated) return loginLocation(to.fullPath)
      }
    }
    const roles = to.matched.flatMap((record) => record.meta.roles ?? [])
    if (roles.length > 0 && auth.user && !auth.hasRole(...roles)) return { name: 'unauthorized' }
    return true
  })

  router.afterEach((to) => {
    document.title = to.meta.title ? `${to.meta.title} · NetRaven` : 'NetRaven'
  })
}
