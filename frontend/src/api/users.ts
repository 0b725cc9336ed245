// The user administration calls (admin only), through the one HTTP client.
import { http, request } from './client'
import type { Role, Schema, User } from './types'

export const ROLES: Role[] = ['viewer', 'operator', 'admin']
export const MIN_PASSWORD_LENGTH = 12
/** The API's rule: starts with a letter or digit, then letters, digits, `.`, `_`, `@` or `-`. */
export const USERNAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._@-]*$/

export type UserAccount = User & Pick<Schema<'UserOut'>, 'is_active' | 'created_at'>

export type UserCreate = Schema<'UserCreate'>

/** Only what is given changes; users are disabled, never deleted. */
export type UserUpdate = Schema<'UserUpdate'>

const enc = encodeURIComponent

export const usersApi = {
  list: (signal?: AbortSignal) => http.get<UserAccount[]>('/users', undefined, signal),
  create: (user: UserCreate) => http.post<UserAccount>('/users', user),
  update: (id: string, changes: UserUpdate) =>
    request<UserAccount>(`/users/${enc(id)}`, { method: 'PATCH', json: changes }),
}
