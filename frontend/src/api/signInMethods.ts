// How users may sign in here (GET /api/auth/methods): asked before anyone is signed in.
import { request } from './client'
import type { Schema } from './types'

/** The login page says "Sign in with <name>". */
export type OidcMethod = Schema<'OidcMethod'>

/** `local`: the username and password form for NetRaven's own accounts. */
export type SignInMethods = Schema<'SignInMethods'>

export const signInMethodsApi = {
  get: () => request<SignInMethods>('/auth/methods', { auth: false }),
}
