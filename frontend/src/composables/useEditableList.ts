import { useAsync } from './useAsync'

/**
 * A list the page changes: every change is re-read from the server once it is done, so the list
 * shows what the server kept (sorting, counts, defaults), not what the page guessed.
 */
export function useEditableList<T>(load: (signal: AbortSignal) => Promise<T>) {
  const list = useAsync(load)

  function reload(): Promise<unknown> {
    return list.execute()
  }

  /** Wait for a change, re-read the list, and answer what the change answered; throws its ApiError. */
  async function change<R>(pending: Promise<R>): Promise<R> {
    const answer = await pending
    await reload()
    return answer
  }

  return { list, reload, change }
}
