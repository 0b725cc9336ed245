// The unified log as the API serves it (GET /logs, /logs/stream, /logs/levels, /logs/types).

// The choices a filter offers come from GET /logs/levels and /logs/types (see stores/logs.ts).
export type LogLevel = 'debug' | 'info' | 'warning' | 'error'

/** `bus`: a message a service refused (a rejected event), logged at warning. */
export type LogType = 'job' | 'connection' | 'config' | 'system' | 'bus'

/** One word of a log vocabulary, with how many entries (matching the filters asked with) use it. */
export interface VocabularyEntry<T extends string = string> {
  value: T
  count: number
}

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
  /** ISO 8601; entries at or after. */
  since?: string | null
  /** ISO 8601; entries before. */
  until?: string | null
  /** Text the message contains, ignoring case. */
  q?: string | null
  limit?: number
  cursor?: string | null
}

export interface StreamToken {
  token: string
  expires_in: number
}
