// API tokens for scripts: the signed-in user's (admins: everyone's), through the one HTTP client.
import { http, request } from './client'
import type { Role, Schema } from './types'

/** `prefix`: the first characters of the secret, to tell tokens apart. */
export type ApiToken = Omit<Schema<'ApiTokenOut'>, 'role'> & { role: Role }

/** Only the answer to creating a token carries its secret; it is never shown again. */
export type CreatedApiToken = ApiToken & Pick<Schema<'ApiTokenCreated'>, 'secret'>

export type ApiTokenCreate = Omit<Schema<'ApiTokenCreate'>, 'expires_at' | 'expires_in_days'> & {
  expires_in_days: number
}

const enc = encodeURIComponent

export const apiTokensApi = {
  list: (everyone: boolean, signal?: AbortSignal) =>
    http.get<ApiToken[]>('/tokens', everyone ? { all: 'true' } : undefined, signal),
  create: (token: ApiTokenCreate) => http.post<CreatedApiToken>('/tokens', token),
  revoke: (id: string) => request<void>(`/tokens/${enc(id)}`, { method: 'DELETE' }),
}
