import { ref, type UnwrapNestedRefs } from 'vue'
import { ApiError } from '@/api/client'
import { errorText } from '@/api/errorText'

/**
 * State for ConfirmActionDialog: open, the call in flight, and the API's refusal, which stays in the
 * dialog so the person reads why. (useDeleteConfirm does the same for deleting one of many items.)
 */
export function useConfirmedAction(action: () => Promise<unknown>) {
  const open = ref(false)
  const busy = ref(false)
  const error = ref<string | null>(null)

  function ask(): void {
    error.value = null
    open.value = true
  }

  function close(): void {
    open.value = false
  }

  async function confirm(): Promise<void> {
    busy.value = true
    error.value = null
    try {
      await action()
      open.value = false
    } catch (err) {
      error.value = err instanceof ApiError ? errorText(err) : String(err)
    } finally {
      busy.value = false
    }
  }

  return { open, busy, error, ask, close, confirm }
}

/** What ConfirmActionDialog is given: a useConfirmedAction made reactive. */
export type ConfirmedAction = UnwrapNestedRefs<ReturnType<typeof useConfirmedAction>>
