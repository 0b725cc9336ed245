import { useToast } from 'primevue/usetoast'
import { ref } from 'vue'
import { ApiError } from '@/api/client'
import type { Job } from '@/api/types'
import { useJobsAdminStore } from '@/stores/jobsAdmin'

export interface RunStarted {
  jobName: string
  runId: string
}

/** "Run now": start the run and post a toast linking to it (RunStartedToast must be mounted). */
export function useRunNow() {
  const store = useJobsAdminStore()
  const toast = useToast()
  const starting = ref<string | null>(null)

  async function runNow(job: Job): Promise<void> {
    starting.value = job.id
    try {
      const runId = await store.runNow(job.id)
      const detail: RunStarted = { jobName: job.name, runId }
      toast.add({ group: 'run-started', severity: 'success', summary: 'Run started', detail, life: 15000 })
    } catch (err) {
      const message = err instanceof ApiError ? err.message : String(err)
      toast.add({ severity: 'error', summary: `Could not run ${job.name}`, detail: message, life: 8000 })
    } finally {
      starting.value = null
    }
  }

  return { starting, runNow }
}
