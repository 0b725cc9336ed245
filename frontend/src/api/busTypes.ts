/** The bus as the dashboard sees it: rejected events (admins only) and the services on it. */
/** Who may connect to the bus: one identity per service, and one for other systems. */
export const BUS_IDENTITIES = ['api', 'scheduler', 'worker', 'gitkeeper', 'log-collector', 'integrator'] as const

/** A message a service refused and never acted on; its payload is never kept. */
export interface RejectedEvent {
  id: number
  occurred_at: string
  rejected_subject: string
  reason: string
  /** The service that refused it. */
  service: string
  /** Who may have sent it; null when unknown. */
  identity: string | null
}

export interface RejectionPage {
  items: RejectedEvent[]
  /** Pass as `before` for the next, older page; null on the last page. */
  next_before: number | null
}

export interface RejectionQuery {
  subject?: string | null
  identity?: string | null
  service?: string | null
  limit?: number
  /** Only events with a smaller id (keyset pagination, newest first). */
  before?: number | null
}

export interface RejectionGroup {
  rejected_subject: string
  identity: string | null
  count: number
  last_at: string
}

export interface RejectionSummary {
  total: number
  groups: RejectionGroup[]
}

/** One running instance of a service, as the supervisor and its heartbeat report it. */
export interface ServiceInstance {
  service: string
  instance: string
  pid: number
  host: string
  started_at: string
  restarts: number
  ready: boolean
  /** Why it is not ready; null when ready. */
  problem: string | null
  seen_at: string
}
