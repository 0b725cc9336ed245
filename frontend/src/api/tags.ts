// Tags: what ties devices to credentials and jobs.
import { http, request } from './client'
import type { Tag } from './types'

const enc = encodeURIComponent

export const tagsApi = {
  list: (signal?: AbortSignal) => http.get<Tag[]>('/tags', undefined, signal),
  create: (name: string) => http.post<Tag>('/tags', { name }),
  rename: (id: string, name: string) => request<Tag>(`/tags/${enc(id)}`, { method: 'PATCH', json: { name } }),
  remove: (id: string) => request<void>(`/tags/${enc(id)}`, { method: 'DELETE' }),
}
