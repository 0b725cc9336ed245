import { ref, type Ref } from 'vue'
import { request } from '@/api/client'

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

/** How users may sign in here (GET /api/auth/methods). Until the api answers, and if it cannot, the password
 * form is offered: it reports its own errors, where a missing form would leave the user nothing to try. */
export function useSignInMethods(): Ref<SignInMethods> {
  const methods = ref<SignInMethods>({ local: true, oidc: null })
  request<SignInMethods>('/auth/methods', { auth: false })
    .then((answer) => {
      methods.value = answer
    })
    .catch(() => {})
  return methods
}
