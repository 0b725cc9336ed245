import { ref } from 'vue'
import { ApiError } from '@/api/client'
import { errorText } from '@/api/errorText'

/**
 * A form's or a dialog's save: `attempt(call)` marks it busy while the call runs and keeps the API's
 * refusal as text in `failure`, for the form to show where the person looks. `failure` is writable:
 * a form's own check puts its complaint in the same place.
 */
export function useSubmit() {
  const busy = ref(false)
  const failure = ref<string | null>(null)

  async function attempt(call: () => Promise<unknown>): Promise<void> {
    busy.value = true
    failure.value = null
    try {
      await call()
    } catch (err) {
      failure.value = err instanceof ApiError ? errorText(err) : String(err)
    } finally {
      busy.value = false
    }
  }

  return { busy, failure, attempt }
}
