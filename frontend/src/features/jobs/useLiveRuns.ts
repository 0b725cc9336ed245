// The dashboard follows run progress as the API announces it: a run shown in the table takes the
// announced status and counts at once; the summary cards, the table's membership (a new run) and an
// open run's per-device results are fetched again once per burst of announcements, not per one.
import { useDebounceFn } from '@vueuse/core'
import { onMounted } from 'vue'
import { useRunStream } from '@/composables/useRunStream'
import { useJobsStore } from '@/stores/jobs'

export const RUN_REFRESH_DEBOUNCE_MS = 800
export const RUN_REFRESH_MAX_WAIT_MS = 3000

export function useLiveRuns(openRunId: () => string | null) {
  const jobs = useJobsStore()
  const refresh = useDebounceFn(() => jobs.refreshProgress(openRunId()), RUN_REFRESH_DEBOUNCE_MS, {
    maxWait: RUN_REFRESH_MAX_WAIT_MS,
  })
  const stream = useRunStream({
    onProgress: (progress) => {
      jobs.applyProgress(progress)
      void refresh()
    },
    onOpen: () => void refresh(),
  })
  onMounted(stream.start)
  return stream
}
