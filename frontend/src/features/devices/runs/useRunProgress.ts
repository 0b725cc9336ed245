import { computed, onScopeDispose, shallowRef } from 'vue'
import { ApiError } from '@/api/client'
import type { RunDetail } from '@/api/types'
import { isFinished, waitForRun } from './waitForRun'

/**
 * Start a run (a backup of one device, say) and follow it to its end, for a progress banner.
 * Following stops when the component that owns it goes away.
 */
export function useRunProgress() {
  const runId = shallowRef<string | null>(null)
  const run = shallowRef<RunDetail | null>(null)
  const error = shallowRef<ApiError | null>(null)
  const starting = shallowRef(false)
  let controller: AbortController | null = null

  const active = computed(
    () =>
      starting.value ||
      (runId.value !== null && error.value === null && !(run.value && isFinished(run.value))),
  )

  /** Resolves to the finished run, or null when starting or following it failed (see `error`). */
  async function start(launch: () => Promise<{ run_id: string }>): Promise<RunDetail | null> {
    controller?.abort()
    const own = new AbortController()
    controller = own
    runId.value = null
    run.value = null
    error.value = null
    starting.value = true
    try {
      const started = await launch()
      runId.value = started.run_id
      starting.value = false
      return await waitForRun(started.run_id, {
        signal: own.signal,
        onUpdate: (next) => (run.value = next),
      })
    } catch (err) {
      if (own.signal.aborted) return null
      error.value = err instanceof ApiError ? err : new ApiError(0, String(err))
      return null
    } finally {
      if (controller === own) starting.value = false
    }
  }

  onScopeDispose(() => controller?.abort())
  return { runId, run, error, active, start }
}
