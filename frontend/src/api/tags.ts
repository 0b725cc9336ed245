// Tags: what ties devices to credentials and jobs.
import { http, request } from './client'
import type { Tag } from './types'

/** A tag's name, the jump host its devices go through unless they name their own (null: none), and
 * the hours without a good backup after which its devices are stale (null: the default). */
export interface TagInput {
  name: string
  jump_host_id: string | null
  stale_after_hours?: number | null
}

const enc = encodeURIComponent

export const tagsApi = {
  list: (signal?: AbortSignal) => http.get<Tag[]>('/tags', undefined, signal),
  create: (input: TagInput) => http.post<Tag>('/tags', input),
  update: (id: string, input: TagInput) => request<Tag>(`/tags/${enc(id)}`, { method: 'PATCH', json: input }),
  remove: (id: string) => request<void>(`/tags/${enc(id)}`, { method: 'DELETE' }),
}
