// Device logins. The API never returns a password, a private key, its passphrase or an enable
// secret; these types have none.
import { http, request } from './client'
import type { Schema } from './types'

const enc = encodeURIComponent

export type Credential = Schema<'CredentialOut'>

/** A password, a private key, or both. On update an absent secret keeps the stored one and null
 * removes it (`private_key: null` removes the passphrase too). All secrets are write-only. */
export type CredentialInput = Omit<
  Schema<'CredentialCreate'>,
  'password' | 'private_key' | 'private_key_passphrase' | 'tags'
> & {
  password?: string | null
  private_key?: string | null
  private_key_passphrase?: string | null
  tags: string[]
}

export const credentialsApi = {
  list: (signal?: AbortSignal) => http.get<Credential[]>('/credentials', undefined, signal),
  create: (input: CredentialInput) => http.post<Credential>('/credentials', input),
  update: (id: string, changes: Partial<CredentialInput>) =>
    request<Credential>(`/credentials/${enc(id)}`, { method: 'PATCH', json: changes }),
  remove: (id: string) => request<void>(`/credentials/${enc(id)}`, { method: 'DELETE' }),
}
