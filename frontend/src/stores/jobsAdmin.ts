import { defineStore } from 'pinia'
import { shallowRef } from 'vue'
import { jobsAdminApi, type JobInput } from '@/api/jobsAdmin'
import type { Job, Run } from '@/api/types'
import { useAsync } from '@/composables/useAsync'

/** The jobs page: job definitions, each job's newest run, and the changes an operator makes. */
export const useJobsAdminStore = defineStore('jobsAdmin', () => {
  const list = useAsync((signal) => jobsAdminApi.list(signal))
  /** The newest run of each job by id; null when it never ran. */
  const latestRuns = shallowRef<Record<string, Run | null>>({})

  async function fetchJobs(): Promise<void> {
    const page = await list.execute()
    if (!page) return
    const entries = await Promise.all(
      page.items.map(async (job) => [job.id, await jobsAdminApi.latestRun(job.id).catch(() => null)] as const),
    )
    latestRuns.value = Object.fromEntries(entries)
  }

  /** Create (no id) or change a job; the list is re-read either way. Throws the ApiError. */
  async function save(id: string | null, input: JobInput): Promise<Job> {
    const job = id ? await jobsAdminApi.update(id, input) : await jobsAdminApi.create(input)
    await fetchJobs()
    return job
  }

  async function setEnabled(job: Job, enabled: boolean): Promise<void> {
    await jobsAdminApi.update(job.id, { enabled })
    await fetchJobs()
  }

  async function remove(id: string): Promise<void> {
    await jobsAdminApi.remove(id)
    await fetchJobs()
  }

  /** Start a run now; resolves to its id. */
  async function runNow(id: string): Promise<string> {
    const { run_id } = await jobsAdminApi.run(id)
    void fetchJobs()
    return run_id
  }

  return { list, latestRuns, fetchJobs, save, setEnabled, remove, runNow }
})
