// When to renew an access token: it carries its own expiry (the JWT `exp` claim).

/** Renew this long before the token expires, so a slow answer still arrives in time. */
const MARGIN_MS = 60_000

/** The token's expiry in epoch milliseconds, or null when it cannot be read (the server then answers 401). */
export function expiresAt(token: string): number | null {
  const payload = token.split('.')[1]
  if (!payload) return null
  try {
    const claims = JSON.parse(atob(payload.replace(/-/g, '+').replace(/_/g, '/'))) as { exp?: unknown }
    return typeof claims.exp === 'number' ? claims.exp * 1000 : null
  } catch {
    return null
  }
}

/** Milliseconds until the token should be renewed: a minute before expiry, halfway through a short one. */
export function renewalDelay(token: string, now = Date.now()): number | null {
  const expiry = expiresAt(token)
  if (expiry === null) return null
  const left = expiry - now
  return Math.max(left > 2 * MARGIN_MS ? left - MARGIN_MS : left / 2, 0)
}
