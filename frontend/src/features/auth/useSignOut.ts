import { useToast } from 'primevue/usetoast'
import { useRouter } from 'vue-router'
import { ApiError } from '@/api/client'
import { errorText } from '@/api/errorText'
import { useAuthStore } from '@/stores/auth'

/** Sign out of this browser and go to the sign-in page, warning when the server could not forget the session. */
export function useSignOut(): () => Promise<void> {
  const auth = useAuthStore()
  const router = useRouter()
  const toast = useToast()
  return async () => {
    try {
      await auth.logout()
    } catch (err) {
      const detail = err instanceof ApiError ? errorText(err) : String(err)
      toast.add({ severity: 'warn', summary: 'Signed out here, but the server did not answer', detail, life: 8000 })
    }
    await router.push({ name: 'login' })
  }
}
