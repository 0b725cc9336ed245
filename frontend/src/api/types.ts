// The API's shapes (all paths under /api): names the app uses for the types generated from the
// OpenAPI document (schema.d.ts, `npm run api-types`). Hand-typed only where the document is
// silent: a vocabulary it declares as a plain string, and the query shapes the calls take.
import type { ComplianceStatus } from './compliance'
import type { DeviceHostKey, HostKeyStatus } from './hostKeyTypes'
import type { components } from './schema'

/** A schema of the OpenAPI document by name. */
export type Schema<Name extends keyof components['schemas']> = components['schemas'][Name]

export type Role = Schema<'Role'>

/** Every call but the password change answers 403 until `must_change_password` is dealt with. */
export type TokenResponse = Schema<'Token'>

/** Where the account's password is kept: here, or in a directory (which then owns it). */
export type AuthSource = 'local' | 'oidc' | 'ldap'

export interface User {
  id: string
  username: string
  role: Role
  auth_source?: AuthSource
  must_change_password?: boolean
}

export type Health = Schema<'Health'>
export type CheckStatus = Health['status']

export interface Page<T> {
  items: T[]
  total: number
}

export interface CursorPage<T> {
  items: T[]
  next_cursor: string | null
}

/** Error body returned with every 4xx: `{"error": "...", "detail": ...}`. */
export type ErrorBody = Schema<'ErrorOut'>

// ---- jobs and runs ---------------------------------------------------------

/** Jobs defined now, and runs started in the last `window_hours` by status (running counts the
 * queued, failed the partly failed). */
export type JobStatusSummary = Schema<'JobsStatus'>

/** An optional window a scheduled job fires in: from `start_at`, until before `end_at` (ISO, UTC). */
export type ScheduleWindow = Pick<Schema<'IntervalSchedule'>, 'start_at' | 'end_at'>

export type JobSchedule = Schema<'JobOut'>['schedule']

export type ScheduleType = JobSchedule['type']

export type JobKind = Job['kind']
export const JOB_KINDS = ['backup', 'reachability', 'inventory_sync'] as const satisfies readonly JobKind[]
export const KIND_LABELS: Record<JobKind, string> = {
  backup: 'Backup',
  reachability: 'Reachability',
  inventory_sync: 'Inventory sync',
}

export type Job = Schema<'JobOut'>

export const RUN_STATUSES = [
  'queued',
  'running',
  'succeeded',
  'failed',
  'partial',
  'cancelled',
] as const
export type RunStatus = (typeof RUN_STATUSES)[number]

export type RunTrigger = 'manual' | 'schedule' | 'bus'

export type Run = Omit<Schema<'RunOut'>, 'status' | 'trigger'> & {
  status: RunStatus
  trigger: RunTrigger
}

export type RunDeviceResult = Omit<Schema<'ResultOut'>, 'status'> & { status: RunStatus }

export type RunDetail = Run & { results: RunDeviceResult[] }

export interface RunQuery {
  job_id?: string | null
  status?: RunStatus | null
  /** Text a job's name or a device's hostname contains. */
  q?: string | null
  limit?: number
  offset?: number
}

// ---- devices and configs ---------------------------------------------------

export type ReachabilityStatus = Schema<'ReachabilityStatus'>
export const REACHABILITY_STATUSES = ['reachable', 'unreachable', 'unknown'] as const satisfies
  readonly ReachabilityStatus[]

/** The outcome of the device's last reachability check; "unknown" and nulls until first checked. */
export type Reachability = Schema<'Reachability'>

/** Reachability and host key are absent from older APIs: the pages show them as unknown then. */
export type Device = Omit<Schema<'DeviceOut'>, 'reachability' | 'host_key'> & {
  reachability?: Reachability | null
  host_key?: DeviceHostKey | null
}

/** The body of POST /devices, every field given; PATCH takes any subset of it. */
export type DeviceInput = Required<Schema<'DeviceCreate'>>

export type BackupStatus = Schema<'BackupStatus'>
export const BACKUP_STATUSES = ['succeeded', 'failed', 'never'] as const satisfies
  readonly BackupStatus[]

export type DeviceSort = Schema<'DeviceSort'>
export const DEVICE_SORTS = [
  'hostname',
  '-hostname',
  'last_backup_at',
  '-last_backup_at',
  'device_type',
] as const satisfies readonly DeviceSort[]

export const ORPHANED_FILTERS = ['true', 'false'] as const
export type OrphanedFilter = (typeof ORPHANED_FILTERS)[number]
export const STALE_FILTERS = ['true', 'false'] as const
export type StaleFilter = (typeof STALE_FILTERS)[number]

export interface DeviceQuery {
  q?: string | null
  tag?: string | null
  device_type?: string | null
  status?: BackupStatus | null
  reachability?: ReachabilityStatus | null
  host_key_status?: HostKeyStatus | null
  compliance?: ComplianceStatus | null
  model?: string | null
  os_version?: string | null
  serial_number?: string | null
  /** 'true': only devices gone from their inventory source; 'false': none of them. */
  orphaned?: OrphanedFilter | null
  /** 'true': only devices whose last good backup is older than their threshold; 'false': the others. */
  stale?: StaleFilter | null
  sort?: DeviceSort
  limit?: number
  offset?: number
}

export type FleetFreshness = Schema<'FleetFreshness'>
/** Ages of the last good backup, not cumulative: under 1 h, 1 to 6 h, 6 to 24 h, 1 to 7 days, older, none. */
export const AGE_BUCKETS = ['1h', '6h', '24h', '7d', 'older', 'never'] as const
export type AgeBucket = (typeof AGE_BUCKETS)[number]

export type ImportRowReport = Schema<'ImportRowReport'>
export type ImportReport = Schema<'ImportReport'>

export type Tag = Schema<'TagOut'>
export type Site = Schema<'SiteOut'>

export type ConfigVersion = Schema<'ConfigVersionOut'>
export type ConfigDiff = Schema<'ConfigDiff'>
export type ConfigText = Schema<'ConfigText'>

// ---- workers ---------------------------------------------------------------

export type WorkerHeartbeat = Schema<'WorkerOut'>
