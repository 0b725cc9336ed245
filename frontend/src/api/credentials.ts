// Device logins. The API never returns a password or an enable secret; these types have none.
import { http, request } from './client'
import type { Schema } from './types'

const enc = encodeURIComponent

export type Credential = Schema<'CredentialOut'>

/** `password` is required on create; on update, absent keeps the stored one. `enable_secret`:
 * absent keeps the stored one; null removes it. Both are write-only. */
export type CredentialInput = Omit<Schema<'CredentialCreate'>, 'password' | 'tags'> & {
  password?: string
  tags: string[]
}

export const credentialsApi = {
  list: (signal?: AbortSignal) => http.get<Credential[]>('/credentials', undefined, signal),
  create: (input: CredentialInput) => http.post<Credential>('/credentials', input),
  update: (id: string, changes: Partial<CredentialInput>) =>
    request<Credential>(`/credentials/${enc(id)}`, { method: 'PATCH', json: changes }),
  remove: (id: string) => request<void>(`/credentials/${enc(id)}`, { method: 'DELETE' }),
}
