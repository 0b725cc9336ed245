// The audit trail (admins only), read through the one HTTP client: there is no call to change it.
import { http } from './client'

export const AUDIT_OUTCOMES = ['success', 'denied', 'failed', 'throttled'] as const
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number]

export interface AuditEntry {
  id: number
  at: string
  actor_id: string | null
  actor_name: string | null
  actor_role: string | null
  token_id: string | null
  action: string
  object_type: string | null
  object_id: string | null
  /** What changed: `{old, new}` per field, or a value; a secret only ever as "(changed)". */
  changes: Record<string, unknown>
  source_address: string | null
  outcome: AuditOutcome
  detail: string | null
}

export interface AuditPage {
  items: AuditEntry[]
  /** Pass as `before` for the next, older page; null on the last one. */
  next_before: string | null
}

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
