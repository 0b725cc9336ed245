// The live log wired to the logs store: new lines go on top of the table, the stream follows the
// table's filters, and a pause keeps its place so resuming brings what was missed.
import { onScopeDispose, shallowRef, watch } from 'vue'
import type { LogEntry } from '@/api/logTypes'
import { useLogStream } from '@/composables/useLogStream'
import { useLogsStore } from '@/stores/logs'

/** Lines arriving within this time join the table together: one re-render per burst, not per line. */
export const LIVE_BATCH_MS = 250

export function useLiveLogs() {
  const logs = useLogsStore()
  const paused = shallowRef(false)
  let pending: LogEntry[] = []
  let flushTimer: ReturnType<typeof setTimeout> | null = null

  function flush(): void {
    flushTimer = null
    const batch = pending
    pending = []
    logs.addLive(...batch)
  }

  const stream = useLogStream({
    query: () => ({ ...logs.filters }),
    onEntry: (entry) => {
      pending.push(entry)
      flushTimer ??= setTimeout(flush, LIVE_BATCH_MS)
    },
  })
  onScopeDispose(() => {
    if (flushTimer !== null) clearTimeout(flushTimer)
  })

  // When the table has reloaded its first page for other filters, follow on after its newest line.
  // A plain refresh keeps a healthy stream: it already delivers everything after what is shown.
  let following: string | null = null
  watch(
    () => logs.reloads,
    () => {
      const filters = JSON.stringify(logs.filters)
      if (paused.value || (filters === following && stream.state.value !== 'paused')) return
      following = filters
      stream.start(logs.newestId)
    },
  )

  function toggle(): void {
    paused.value = !paused.value
    if (paused.value) stream.pause()
    else stream.start()
  }

  return { state: stream.state, lastError: stream.lastError, toggle }
}
