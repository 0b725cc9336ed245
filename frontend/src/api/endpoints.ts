// Typed calls, one small group per API area. Components and stores use these, never fetch.
import { http, request } from './client'
import type {
  ConfigDiff,
  ConfigText,
  ConfigVersion,
  CursorPage,
  Device,
  DeviceInput,
  DeviceQuery,
  FleetFreshness,
  ImportReport,
  Health,
  Job,
  JobStatusSummary,
  Page,
  WorkerHeartbeat,
  Run,
  RunDetail,
  RunQuery,
  TokenResponse,
  User,
} from './types'
import type {
  LogEntry,
  LogLevel,
  LogQuery,
  LogType,
  StreamToken,
  VocabularyEntry,
} from './logTypes'
import type { GitMirror, RejectionPage, RejectionQuery, RejectionSummary, ServiceInstance } from './busTypes'

const enc = encodeURIComponent

export const authApi = {
  token: (username: string, password: string) =>
    request<TokenResponse>('/auth/token', {
      method: 'POST',
      form: { username, password },
      auth: false,
    }),
  /** A new access token from the httpOnly refresh cookie that sign-in set (no header: the cookie is the proof). */
  refresh: () => request<TokenResponse>('/auth/refresh', { method: 'POST', auth: false }),
  me: (signal?: AbortSignal) => http.get<User>('/users/me', undefined, signal),
  /** Forget this browser's refresh cookie. */
  signOut: () => request<void>('/auth/sign-out', { method: 'POST', auth: false }),
  signOutEverywhere: () => http.post<void>('/auth/sign-out-everywhere'),
  /** Ends every session of the user, this one included: sign in again with the new password. */
  changePassword: (currentPassword: string, newPassword: string) =>
    http.post<void>('/auth/password', { current_password: currentPassword, new_password: newPassword }),
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
  /** Cancels every device of the run still queued; 409 once none is. */
  cancel: (runId: string) => http.post<RunDetail>(`/runs/${enc(runId)}/cancel`),
}

export const devicesApi = {
  list: (query: DeviceQuery, signal?: AbortSignal) =>
    http.get<Page<Device>>('/devices', { ...query }, signal),
  get: (id: string, signal?: AbortSignal) => http.get<Device>(`/devices/${enc(id)}`, undefined, signal),
  freshness: (stalest: number, signal?: AbortSignal) =>
    http.get<FleetFreshness>('/devices/freshness', { stalest }, signal),
  create: (input: DeviceInput) => http.post<Device>('/devices', input),
  update: (id: string, changes: Partial<DeviceInput>) =>
    request<Device>(`/devices/${enc(id)}`, { method: 'PATCH', json: changes }),
  remove: (id: string) => request<void>(`/devices/${enc(id)}`, { method: 'DELETE' }),
  /** A CSV text, or a JSON text `{"devices": [...]}`, as the server reads it. */
  import: (content: string, contentType: 'text/csv' | 'application/json') =>
    request<ImportReport>('/devices/import', { method: 'POST', text: { content, contentType } }),
  backup: (id: string) => http.post<{ run_id: string }>(`/devices/${enc(id)}/backup`),
  checkReachability: (id: string) => http.post<{ run_id: string }>(`/devices/${enc(id)}/reachability`),
  configs: (id: string, signal?: AbortSignal) =>
    http.get<ConfigVersion[]>(`/devices/${enc(id)}/configs`, undefined, signal),
  /** `output`: one of the driver's extra outputs at that version (`version`, ...); null: the config. */
  config: (id: string, commit: string, output: string | null, signal?: AbortSignal) =>
    http.get<ConfigText>(`/devices/${enc(id)}/configs/${enc(commit)}`, { output }, signal),
  diff: (id: string, from: string, to: string, output: string | null, signal?: AbortSignal) =>
    http.get<ConfigDiff>(`/devices/${enc(id)}/configs/diff`, { from, to, output }, signal),
}

export const logsApi = {
  list: (query: LogQuery, signal?: AbortSignal) =>
    http.get<CursorPage<LogEntry>>('/logs', { ...query }, signal),
  levels: (signal?: AbortSignal) => http.get<VocabularyEntry<LogLevel>[]>('/logs/levels', undefined, signal),
  types: (signal?: AbortSignal) => http.get<VocabularyEntry<LogType>[]>('/logs/types', undefined, signal),
  streamToken: () => http.post<StreamToken>('/logs/stream-token'),
}

export const workersApi = {
  list: (signal?: AbortSignal) =>
    http.get<{ items: WorkerHeartbeat[] }>('/workers', undefined, signal),
}

export const rejectionsApi = {
  list: (query: RejectionQuery, signal?: AbortSignal) =>
    http.get<RejectionPage>('/bus/rejections', { ...query }, signal),
  summary: (since: string, signal?: AbortSignal) =>
    http.get<RejectionSummary>('/bus/rejections/summary', { since }, signal),
}

export const servicesApi = {
  list: (signal?: AbortSignal) => http.get<ServiceInstance[]>('/services', undefined, signal),
}

export const mirrorsApi = {
  list: (signal?: AbortSignal) => http.get<{ items: GitMirror[] }>('/mirrors', undefined, signal),
}
