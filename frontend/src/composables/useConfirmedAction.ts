import { ref, type UnwrapNestedRefs } from 'vue'
import { useSubmit } from './useSubmit'

/**
 * State for ConfirmActionDialog: open, the call in flight, and the API's refusal, which stays in the
 * dialog so the person reads why. (useDeleteConfirm does the same for deleting one of many items.)
 */
export function useConfirmedAction(action: () => Promise<unknown>) {
  const open = ref(false)
  const { busy, failure: error, attempt } = useSubmit()

  function ask(): void {
    error.value = null
    open.value = true
  }

  function close(): void {
    open.value = false
  }

  async function confirm(): Promise<void> {
    await attempt(async () => {
      await action()
      open.value = false
    })
  }

  return { open, busy, error, ask, close, confirm }
}

/** What ConfirmActionDialog is given: a useConfirmedAction made reactive. */
export type ConfirmedAction = UnwrapNestedRefs<ReturnType<typeof useConfirmedAction>>
