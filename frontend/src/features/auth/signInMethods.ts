import { ref, type Ref } from 'vue'
import { signInMethodsApi, type SignInMethods } from '@/api/signInMethods'

/** How users may sign in here. Until the api answers, and if it cannot, the password form is
 * offered: it reports its own errors, where a missing form would leave the user nothing to try. */
export function useSignInMethods(): Ref<SignInMethods> {
  const methods = ref<SignInMethods>({ local: true, oidc: null })
  signInMethodsApi
    .get()
    .then((answer) => {
      methods.value = answer
    })
    .catch(() => {})
  return methods
}
