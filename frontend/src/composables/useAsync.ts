import { computed, shallowRef, type Ref } from 'vue'
import { ApiError } from '@/api/client'

export interface AsyncState<T, A extends unknown[]> {
  data: Ref<T | null>
  error: Ref<ApiError | null>
  loading: Readonly<Ref<boolean>>
  /** True once a call has finished, successfully or not (tells "empty" from "not loaded yet"). */
  loaded: Ref<boolean>
  /** Run the call. Resolves to the data, or undefined if it failed or a newer call replaced it. */
  execute: (...args: A) => Promise<T | undefined>
  reset: () => void
}

function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err
  return new ApiError(0, err instanceof Error ? err.message : String(err))
}

/**
 * Loading / error / data for one fetch. A new call aborts the previous one, and a
 * response that arrives after a newer call started is dropped, so fast filter
 * changes never show stale rows.
 */
export function useAsync<T, A extends unknown[] = []>(
  fn: (signal: AbortSignal, ...args: A) => Promise<T>,
): AsyncState<T, A> {
  const data = shallowRef<T | null>(null)
  const error = shallowRef<ApiError | null>(null)
  const pending = shallowRef(0)
  const loaded = shallowRef(false)
  let controller: AbortController | null = null
  let latest = 0

  async function execute(...args: A): Promise<T | undefined> {
    controller?.abort()
    const own = new AbortController()
    controller = own
    const id = ++latest
    pending.value++
    error.value = null
    try {
      const result = await fn(own.signal, ...args)
      if (id !== latest) return undefined
      data.value = result
      return result
    } catch (err) {
      if (id !== latest || own.signal.aborted) return undefined
      error.value = toApiError(err)
      return undefined
    } finally {
      pending.value--
      if (id === latest) {
        loaded.value = true
        controller = null
      }
    }
  }

  function reset(): void {
    controller?.abort()
    controller = null
    latest++
    data.value = null
    error.value = null
    loaded.value = false
  }

  const loading = computed(() => pending.value > 0)
  return { data, error, loading, loaded, execute, reset }
}
