// How users may sign in here (GET /api/auth/methods): asked before anyone is signed in.
import { request } from './client'

export interface OidcMethod {
  /** The login page says "Sign in with <name>". */
  name: string
  login_url: string
}

export interface SignInMethods {
  /** The username and password form for NetRaven's own accounts. */
  local: boolean
  oidc: OidcMethod | null
}

export const signInMethodsApi = {
  get: () => request<SignInMethods>('/auth/methods', { auth: false }),
}
