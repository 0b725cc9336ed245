// Hand-typed from the NetRaven API contract (all paths under /api).
// Replace with types generated from the OpenAPI document once it is published.

export type Role = 'admin' | 'operator' | 'viewer'

export interface TokenResponse {
  access_token: string
  token_type: 'bearer'
}

export interface User {
  id: string
  username: string
  role: Role
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

export interface JobStatusSummary {
  total_jobs: number
  running: number
  succeeded: number
  failed: number
}

export type JobSchedule = { type: 'manual' } | { type: 'interval'; seconds: number }

export interface Job {
  id: string
  name: string
  device_ids: string[]
  tags: string[]
  schedule: JobSchedule
  enabled: boolean
}

export const RUN_STATUSES = ['queued', 'running', 'succeeded', 'failed', 'partial'] as const
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
  limit?: number
  offset?: number
}

// ---- devices and configs ---------------------------------------------------

export interface Device {
  id: string
  hostname: string
  ip_address: string
  device_type: string
  port: number
  tags: string[]
  last_backup_status: string | null
  last_backup_at: string | null
}

export interface DeviceQuery {
  q?: string | null
  limit?: number
  offset?: number
}

export interface ConfigVersion {
  commit: string
  committed_at: string
  sha256: string
}

export interface ConfigText extends ConfigVersion {
  device_id: string
  text: string
}

// ---- logs ------------------------------------------------------------------

export const LOG_LEVELS = ['debug', 'info', 'warning', 'error'] as const
export type LogLevel = (typeof LOG_LEVELS)[number]

export const LOG_TYPES = ['job', 'connection', 'config', 'system'] as const
export type LogType = (typeof LOG_TYPES)[number]

export interface LogEntry {
  id: number
  timestamp: string
  level: LogLevel
  log_type: LogType
  message: string
  source: string
  job_id: string | null
  run_id: string | null
  device_id: string | null
  extra: Record<string, unknown>
}

export interface LogQuery {
  run_id?: string | null
  device_id?: string | null
  job_id?: string | null
  level?: LogLevel | null
  log_type?: LogType | null
  limit?: number
  cursor?: string | null
}
