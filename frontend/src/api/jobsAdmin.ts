// Job definitions: create, change, delete, run, and each job's newest run (the jobs page).
import { http, request } from './client'
import type { Job, Page, Run, Schema } from './types'

const enc = encodeURIComponent

/** The body of POST /jobs, every field given; PATCH takes any subset of it. */
export type JobInput = Required<Schema<'JobCreate'>>

export const jobsAdminApi = {
  list: (signal?: AbortSignal) => http.get<Page<Job>>('/jobs', undefined, signal),
  create: (input: JobInput) => http.post<Job>('/jobs', input),
  update: (id: string, changes: Partial<JobInput>) =>
    request<Job>(`/jobs/${enc(id)}`, { method: 'PATCH', json: changes }),
  remove: (id: string) => request<void>(`/jobs/${enc(id)}`, { method: 'DELETE' }),
  run: (id: string) => http.post<{ run_id: string }>(`/jobs/${enc(id)}/run`),
  latestRun: async (id: string, signal?: AbortSignal): Promise<Run | null> => {
    const page = await http.get<Page<Run>>(`/jobs/${enc(id)}/runs`, { limit: 1 }, signal)
    return page.items[0] ?? null
  },
}
