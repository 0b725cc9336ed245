// The audit trail (admins only), read through the one HTTP client: there is no call to change it.
import { http } from './client'
import type { Schema } from './types'

// The schema declares the outcome a plain string.
export const AUDIT_OUTCOMES = ['success', 'denied', 'failed', 'throttled'] as const
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number]

/** `changes`: what changed, `{old, new}` per field, or a value; a secret only ever as "(changed)". */
export type AuditEntry = Omit<Schema<'AuditEntryOut'>, 'outcome'> & { outcome: AuditOutcome }

/** `next_before`: pass as `before` for the next, older page; null on the last one. */
export type AuditPage = Omit<Schema<'AuditPage'>, 'items'> & { items: AuditEntry[] }

/** The filters GET /api/audit takes, by their API names. */
export interface AuditFilters {
  /** A user's id or username. */
  actor: string | null
  /** An action or its start, e.g. `device.` */
  action: string | null
  object_type: string | null
  outcome: AuditOutcome | null
  since: string | null
  until: string | null
}

export interface AuditQuery extends Partial<AuditFilters> {
  limit?: number
  before?: string | null
}

export const auditApi = {
  list: (query: AuditQuery, signal?: AbortSignal) => http.get<AuditPage>('/audit', { ...query }, signal),
}
