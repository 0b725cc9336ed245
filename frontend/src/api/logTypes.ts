// The unified log as the API serves it (GET /logs, /logs/stream, /logs/levels, /logs/types).

import type { Schema } from './types'

// The choices a filter offers come from GET /logs/levels and /logs/types (see stores/logs.ts).
export type LogLevel = 'debug' | 'info' | 'warning' | 'error'

/** `bus`: a message a service refused (a rejected event), logged at warning. */
export type LogType = 'job' | 'connection' | 'config' | 'system' | 'bus'

/** One word of a log vocabulary, with how many entries (matching the filters asked with) use it. */
export type VocabularyEntry<T extends string = string> = Omit<Schema<'VocabularyEntry'>, 'value'> & {
  value: T
}

export type LogEntry = Omit<Schema<'LogOut'>, 'level' | 'log_type'> & {
  level: LogLevel
  log_type: LogType
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

export type StreamToken = Schema<'StreamToken'>
