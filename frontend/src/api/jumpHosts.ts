// SSH jump hosts (bastions) devices are reached through. Admins write them; everyone reads them.
import { http, request } from './client'
import type { Schema } from './types'

const enc = encodeURIComponent

export type JumpHost = Schema<'JumpHostOut'>
export type JumpHostInput = Schema<'JumpHostCreate'>
export type JumpHostRef = Schema<'JumpHostRef'>

export const jumpHostsApi = {
  list: (signal?: AbortSignal) => http.get<JumpHost[]>('/jump-hosts', undefined, signal),
  create: (input: JumpHostInput) => http.post<JumpHost>('/jump-hosts', input),
  update: (id: string, changes: Partial<JumpHostInput>) =>
    request<JumpHost>(`/jump-hosts/${enc(id)}`, { method: 'PATCH', json: changes }),
  remove: (id: string) => request<void>(`/jump-hosts/${enc(id)}`, { method: 'DELETE' }),
}
