/** The bus as the dashboard sees it: rejected events (admins only), the services on it and the git
 * mirrors gitkeeper reports there. */
import type { Schema } from './types'

/** Who may connect to the bus: one identity per service, and one for other systems. */
export const BUS_IDENTITIES = ['api', 'scheduler', 'worker', 'gitkeeper', 'log-collector', 'integrator'] as const

/** A message a service refused and never acted on; its payload is never kept. */
export type RejectedEvent = Schema<'RejectionOut'>

/** `next_before`: pass as `before` for the next, older page; null on the last page. */
export type RejectionPage = Schema<'RejectionPage'>

export interface RejectionQuery {
  subject?: string | null
  identity?: string | null
  service?: string | null
  limit?: number
  /** Only events with a smaller id (keyset pagination, newest first). */
  before?: number | null
}

export type RejectionGroup = Schema<'RejectionGroup'>
export type RejectionSummary = Schema<'RejectionSummary'>

/** One running instance of a service, as the supervisor and its heartbeat report it; `problem` says
 * why it is not ready. */
export type ServiceInstance = Schema<'ServiceOut'>

/** A git mirror of the config repository, as gitkeeper last described it; `remote` holds no secret. */
export type GitMirror = Schema<'MirrorOut'>
