// API tokens for scripts: the signed-in user's (admins: everyone's), through the one HTTP client.
import { http, request } from './client'
import type { Role } from './types'

export interface ApiToken {
  id: string
  name: string
  role: Role
  /** The first characters of the secret, to tell tokens apart. */
  prefix: string
  owner_id: string
  owner_username: string
  created_at: string
  expires_at: string | null
  last_used_at: string | null
  last_used_address: string | null
  revoked_at: string | null
}

/** Only the answer to creating a token carries its secret; it is never shown again. */
export interface CreatedApiToken extends ApiToken {
  secret: string
}

export interface ApiTokenCreate {
  name: string
  role: Role
  expires_in_days: number
}

const enc = encodeURIComponent

export const apiTokensApi = {
  list: (everyone: boolean, signal?: AbortSignal) =>
    http.get<ApiToken[]>('/tokens', everyone ? { all: 'true' } : undefined, signal),
  create: (token: ApiTokenCreate) => http.post<CreatedApiToken>('/tokens', token),
  revoke: (id: string) => request<void>(`/tokens/${enc(id)}`, { method: 'DELETE' }),
}
