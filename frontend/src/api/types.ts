// Hand-typed from the NetRaven API contract (all paths under /api).
// Replace with types generated from the OpenAPI document once it is published.
import type { BoundCredential, DeviceHostKey, HostKeyStatus } from './hostKeyTypes'

export type Role = 'admin' | 'operator' | 'viewer'

export interface TokenResponse {
  access_token: string
  token_type: 'bearer'
  /** Every call but the password change answers 403 until the user chose a new password. */
  must_change_password?: boolean
}

/** Where the account's password is kept: here, or in a directory (which then owns it). */
export type AuthSource = 'local' | 'oidc' | 'ldap'

export interface User {
  id: string
  username: string
  role: Role
  auth_source?: AuthSource
  must_change_password?: boolean
}

export type CheckStatus = 'ok' | 'degraded'

export interface Health {
  status: CheckStatus
  checks: Record<string, string>
}

export interface Page<T> {
  items: T[]
  total: number
}

export interface CursorPage<T> {
  items: T[]
  next_cursor: string | null
}

/** Error body returned with every 4xx: `{"error": "...", "detail": ...}`. */
export interface ErrorBody {
  error: string
  detail?: unknown
}

// ---- jobs and runs ---------------------------------------------------------

/** Jobs defined now, and runs started in the last `window_hours` by status. */
export interface JobStatusSummary {
  total_jobs: number
  window_hours: number
  total_runs: number
  /** Running or still queued. */
  running: number
  succeeded: number
  /** Failed or partly failed. */
  failed: number
  cancelled: number
}

/** An optional window a scheduled job fires in: from `start_at`, until before `end_at` (ISO, UTC). */
export interface ScheduleWindow {
  start_at?: string | null
  end_at?: string | null
}

export type JobSchedule =
  | { type: 'manual' }
  | ({ type: 'interval'; seconds: number } & ScheduleWindow)
  | ({ type: 'cron'; expression: string; timezone: string } & ScheduleWindow)
  | ({ type: 'onetime'; run_at: string } & ScheduleWindow)

export type ScheduleType = JobSchedule['type']

export const JOB_KINDS = ['backup', 'reachability'] as const
export type JobKind = (typeof JOB_KINDS)[number]

export interface Job {
  id: string
  name: string
  device_ids: string[]
  tags: string[]
  schedule: JobSchedule
  enabled: boolean
  /** What each run does; absent from older APIs, which only back up. */
  kind?: JobKind
  /** Interval slots count from here when the schedule has no start_at. */
  created_at?: string
}

export const RUN_STATUSES = ['queued', 'running', 'succeeded', 'failed', 'partial', 'cancelled'] as const
export type RunStatus = (typeof RUN_STATUSES)[number]

export type RunTrigger = 'manual' | 'schedule' | 'bus'

export interface Run {
  id: string
  job_id: string | null
  job_name: string | null
  status: RunStatus
  trigger: RunTrigger
  created_at: string
  finished_at: string | null
  device_count: number
  succeeded: number
  failed: number
  /** Backup or reachability check; absent from older APIs, which only back up. */
  kind?: JobKind
}

export interface RunDeviceResult {
  device_id: string
  hostname: string
  status: RunStatus
  error: string | null
  started_at: string | null
  finished_at: string | null
}

export interface RunDetail extends Run {
  results: RunDeviceResult[]
}

export interface RunQuery {
  job_id?: string | null
  status?: RunStatus | null
  /** Text a job's name or a device's hostname contains. */
  q?: string | null
  limit?: number
  offset?: number
}

// ---- devices and configs ---------------------------------------------------

export const REACHABILITY_STATUSES = ['reachable', 'unreachable', 'unknown'] as const
export type ReachabilityStatus = (typeof REACHABILITY_STATUSES)[number]

/** The outcome of the device's last reachability check; "unknown" and nulls until first checked. */
export interface Reachability {
  status: ReachabilityStatus
  latency_ms: number | null
  checked_at: string | null
  error: string | null
}

export interface Device {
  id: string
  hostname: string
  ip_address: string
  device_type: string
  port: number
  /** SSH connect/auth/read-base timeout in seconds (5..600); null means the service default. */
  timeout_seconds?: number | null
  /** Allows old key exchange, ciphers and host key algorithms for old gear. */
  legacy_ssh?: boolean
  tags: string[]
  last_backup_status: string | null
  last_backup_at: string | null
  /** Absent from APIs older than the reachability check. */
  reachability?: Reachability | null
  /** Absent from APIs older than host key pinning. */
  host_key?: DeviceHostKey | null
  bound_credential?: BoundCredential | null
}

/** The body of POST /devices; PATCH takes any subset of it. */
export interface DeviceInput {
  hostname: string
  ip_address: string
  device_type: string
  port: number
  timeout_seconds: number | null
  legacy_ssh: boolean
  tags: string[]
}

export const BACKUP_STATUSES = ['succeeded', 'failed', 'never'] as const
export type BackupStatus = (typeof BACKUP_STATUSES)[number]

export const DEVICE_SORTS = [
  'hostname',
  '-hostname',
  'last_backup_at',
  '-last_backup_at',
  'device_type',
] as const
export type DeviceSort = (typeof DEVICE_SORTS)[number]

export interface DeviceQuery {
  q?: string | null
  tag?: string | null
  status?: BackupStatus | null
  reachability?: ReachabilityStatus | null
  host_key_status?: HostKeyStatus | null
  sort?: DeviceSort
  limit?: number
  offset?: number
}

export interface ImportRowReport {
  row: number
  hostname: string | null
  status: 'created' | 'failed'
  error: string | null
}

export interface ImportReport {
  created: number
  failed: number
  rows: ImportRowReport[]
}

export interface Tag {
  id: string
  name: string
  device_count: number
  credential_count: number
}

export interface ConfigVersion {
  commit: string
  committed_at: string
  sha256: string
  size_bytes?: number
  run_id?: string | null
  /** Lines added plus removed against the previous version; null for versions stored before it was counted. */
  changed_lines?: number | null
}

export interface ConfigDiff {
  from: string
  to: string
  /** Unified diff text; empty when the two versions are the same. */
  diff: string
  added: number
  removed: number
}

export interface ConfigText extends ConfigVersion {
  device_id: string
  text: string
}

// ---- workers ---------------------------------------------------------------

export interface WorkerHeartbeat {
  worker_id: string
  hostname: string
  pid: number
  version: string
  in_flight: number
  capacity: number
  started_at: string
  last_seen_at: string
}
