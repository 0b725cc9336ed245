import { ref, shallowRef } from 'vue'
import { ApiError } from '@/api/client'

/**
 * State for ConfirmDeleteDialog: which item is asked about, the call in flight, and the API's
 * refusal, which stays in the dialog so the person reads why.
 */
export function useDeleteConfirm<T>(remove: (item: T) => Promise<unknown>) {
  const target = shallowRef<T | null>(null)
  const open = ref(false)
  const busy = ref(false)
  const error = ref<string | null>(null)

  function ask(item: T): void {
    target.value = item
    error.value = null
    open.value = true
  }

  function close(): void {
    open.value = false
  }

  async function confirm(): Promise<void> {
    if (target.value === null) return
    busy.value = true
    try {
      await remove(target.value)
      open.value = false
    } catch (err) {
      error.value = err instanceof ApiError ? err.message : String(err)
    } finally {
      busy.value = false
    }
  }

  return { target, open, busy, error, ask, close, confirm }
}
