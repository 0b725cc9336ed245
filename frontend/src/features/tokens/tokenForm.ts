import type { ApiToken } from '@/api/apiTokens'
import type { Role } from '@/api/types'

const ROLES_LOW_TO_HIGH: Role[] = ['viewer', 'operator', 'admin']
export const MAX_LIFETIME_DAYS = 365

export const LIFETIMES = [
  { label: '7 days', days: 7 },
  { label: '30 days', days: 30 },
  { label: '90 days', days: 90 },
  { label: '1 year', days: MAX_LIFETIME_DAYS },
]

/** A token's role is at most its owner's. */
export function rolesUpTo(mine: Role | undefined): Role[] {
  if (!mine) return []
  return ROLES_LOW_TO_HIGH.slice(0, ROLES_LOW_TO_HIGH.indexOf(mine) + 1)
}

export type TokenState = 'active' | 'expired' | 'revoked'

export function tokenState(token: ApiToken, now: number = Date.now()): TokenState {
  if (token.revoked_at) return 'revoked'
  if (token.expires_at && Date.parse(token.expires_at) <= now) return 'expired'
  return 'active'
}
