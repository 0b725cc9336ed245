import { useIntervalFn } from '@vueuse/core'
import { onMounted } from 'vue'
import { useAsync } from './useAsync'

/** A fetch made when the component mounts and again every `intervalMs` while it lives. */
export function usePolled<T>(fn: (signal: AbortSignal) => Promise<T>, intervalMs: number) {
  const state = useAsync(fn)

  function load(): Promise<unknown> {
    return state.execute()
  }

  useIntervalFn(load, intervalMs)
  onMounted(load)
  return { ...state, load }
}
