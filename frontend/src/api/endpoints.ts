// Typed calls, one small group per API area. Components and stores use these, never fetch.
import { http, request } from './client'
import type {
  ConfigText,
  ConfigVersion,
  CursorPage,
  Device,
  DeviceQuery,
  Health,
  Job,
  JobStatusSummary,
  LogEntry,
  LogQuery,
  Page,
  Run,
  RunDetail,
  RunQuery,
  TokenResponse,
  User,
} from './types'

const enc = encodeURIComponent

export const authApi = {
  token: (username: string, password: string) =>
    request<TokenResponse>('/auth/token', {
      method: 'POST',
      form: { username, password },
      auth: false,
    }),
  me: (signal?: AbortSignal) => http.get<User>('/users/me', undefined, signal),
}

export const healthApi = {
  get: (signal?: AbortSignal) => request<Health>('/health', { auth: false, signal }),
}

export const jobsApi = {
  status: (signal?: AbortSignal) => http.get<JobStatusSummary>('/jobs/status', undefined, signal),
  list: (signal?: AbortSignal) => http.get<Page<Job>>('/jobs', undefined, signal),
  run: (jobId: string) => http.post<{ run_id: string }>(`/jobs/${enc(jobId)}/run`),
}

export const runsApi = {
  list: (query: RunQuery, signal?: AbortSignal) => http.get<Page<Run>>('/runs', { ...query }, signal),
  get: (runId: string, signal?: AbortSignal) =>
    http.get<RunDetail>(`/runs/${enc(runId)}`, undefined, signal),
}

export const devicesApi = {
  list: (query: DeviceQuery, signal?: AbortSignal) =>
    http.get<Page<Device>>('/devices', { ...query }, signal),
  get: (id: string, signal?: AbortSignal) => http.get<Device>(`/devices/${enc(id)}`, undefined, signal),
  configs: (id: string, signal?: AbortSignal) =>
    http.get<ConfigVersion[]>(`/devices/${enc(id)}/configs`, undefined, signal),
  config: (id: string, commit: string, signal?: AbortSignal) =>
    http.get<ConfigText>(`/devices/${enc(id)}/configs/${enc(commit)}`, undefined, signal),
}

export const logsApi = {
  list: (query: LogQuery, signal?: AbortSignal) =>
    http.get<CursorPage<LogEntry>>('/logs', { ...query }, signal),
}
