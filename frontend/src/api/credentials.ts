// Device logins. The API never returns a password or an enable secret; these types have none.
import { http, request } from './client'

const enc = encodeURIComponent

export interface Credential {
  id: string
  name: string
  username: string
  priority: number
  tags: string[]
  has_enable_secret: boolean
  success_count: number
  failure_count: number
  last_success_at: string | null
}

export interface CredentialInput {
  name: string
  username: string
  /** Write-only. Required on create; on update, absent keeps the stored one. */
  password?: string
  /** Write-only. Absent keeps the stored one; null removes it. */
  enable_secret?: string | null
  priority: number
  tags: string[]
}

export const credentialsApi = {
  list: (signal?: AbortSignal) => http.get<Credential[]>('/credentials', undefined, signal),
  create: (input: CredentialInput) => http.post<Credential>('/credentials', input),
  update: (id: string, changes: Partial<CredentialInput>) =>
    request<Credential>(`/credentials/${enc(id)}`, { method: 'PATCH', json: changes }),
  remove: (id: string) => request<void>(`/credentials/${enc(id)}`, { method: 'DELETE' }),
}
