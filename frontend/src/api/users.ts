// The user administration calls (admin only), through the one HTTP client.
import { http, request } from './client'
import type { Role, User } from './types'

export const ROLES: Role[] = ['viewer', 'operator', 'admin']
export const MIN_PASSWORD_LENGTH = 12
/** The API's rule: starts with a letter or digit, then letters, digits, `.`, `_`, `@` or `-`. */
export const USERNAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._@-]*$/

export interface UserAccount extends User {
  is_active: boolean
  created_at: string
}

export interface UserCreate {
  username: string
  password: string
  role: Role
}

/** Only what is given changes; users are disabled, never deleted. */
export interface UserUpdate {
  role?: Role
  is_active?: boolean
  password?: string
}

const enc = encodeURIComponent

export const usersApi = {
  list: (signal?: AbortSignal) => http.get<UserAccount[]>('/users', undefined, signal),
  create: (user: UserCreate) => http.post<UserAccount>('/users', user),
  update: (id: string, changes: UserUpdate) =>
    request<UserAccount>(`/users/${enc(id)}`, { method: 'PATCH', json: changes }),
}
