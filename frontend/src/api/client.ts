// The one HTTP client. Every request to the API goes through `request`.
// It knows nothing about routing: on a 401 it asks the auth layer (see router/guards.ts) for a fresh
// token and retries once; if that fails, or the server wants a new password first, it throws and tells
// the handlers the auth layer registered, which decide where to go.

export const API_BASE = '/api'

export type QueryValue = string | number | boolean | null | undefined
export type Query = Record<string, QueryValue>

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'
  query?: Query
  /** Sent as application/json. */
  json?: unknown
  /** Sent as application/x-www-form-urlencoded. */
  form?: Record<string, string>
  /** Sent as is with its own content type (a CSV upload, for example). */
  text?: { content: string; contentType: string }
  signal?: AbortSignal
  /** Attach the bearer token (default true). Turn off for the login call. */
  auth?: boolean
  /** Called with the headers of a successful response, for APIs that answer in headers too. */
  onHeaders?: (headers: Headers) => void
}

/** An API failure: the HTTP status (0 when the server was unreachable) and a readable message. */
export class ApiError extends Error {
  readonly status: number
  readonly detail: unknown

  constructor(status: number, message: string, detail?: unknown) {
    super(message)
    this.name = 'ApiError'
    this.status = status
    this.detail = detail
  }

  get isUnauthorized(): boolean {
    return this.status === 401
  }

  /** The server refuses everything but the password change until the user chose a new password. */
  get isPasswordChangeRequired(): boolean {
    return (
      this.status === 403 &&
      isRecord(this.detail) &&
      this.detail.reason === 'password_change_required'
    )
  }
}

interface ClientHooks {
  getToken: () => string | null
  /** Get a new access token after a 401; true when there is one to retry with. */
  renewToken: () => Promise<boolean>
  onUnauthorized: (error: ApiError) => void
  onPasswordChangeRequired: (error: ApiError) => void
}

const hooks: ClientHooks = {
  getToken: () => null,
  renewToken: async () => false,
  onUnauthorized: () => {},
  onPasswordChangeRequired: () => {},
}

/** Wire the client to the auth layer: where the token comes from, how to renew it, who hears about refusals. */
export function configureClient(next: Partial<ClientHooks>): void {
  Object.assign(hooks, next)
}

export function buildUrl(path: string, query?: Query): string {
  const params = new URLSearchParams()
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== null && value !== undefined && value !== '') params.append(key, String(value))
  }
  const qs = params.toString()
  return `${API_BASE}${path}${qs ? `?${qs}` : ''}`
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Turn a failed response into an ApiError, reading `{"error", "detail"}` when present. */
export async function parseError(response: Response): Promise<ApiError> {
  const fallback = response.statusText || `Request failed with status ${response.status}`
  const raw = await response.text().catch(() => '')
  let body: unknown
  try {
    body = raw ? JSON.parse(raw) : null
  } catch {
    // not JSON (a proxy error page, for example): keep the fallback message
    return new ApiError(response.status, fallback, raw || undefined)
  }
  if (isRecord(body)) {
    if (typeof body.error === 'string' && body.error) {
      return new ApiError(response.status, body.error, body.detail)
    }
    // FastAPI's own errors (e.g. 422 validation) use {"detail": ...}
    if (typeof body.detail === 'string' && body.detail) {
      return new ApiError(response.status, body.detail, body.detail)
    }
    return new ApiError(response.status, fallback, body.detail ?? body)
  }
  return new ApiError(response.status, fallback, body ?? undefined)
}

export async function request<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const response = await respond(path, options)
  options.onHeaders?.(response.headers)
  if (response.status === 204) return undefined as T
  const text = await response.text()
  return (text ? JSON.parse(text) : undefined) as T
}

/** A file the API answers with, and the name its Content-Disposition gives it. */
export interface DownloadedFile {
  blob: Blob
  filename: string
}

const ATTACHMENT_NAME = /filename="([^"]+)"/

/** GET a file (a config, an archive): its bytes, never parsed. */
export async function requestFile(path: string, query?: Query): Promise<DownloadedFile> {
  const response = await respond(path, { query })
  const named = ATTACHMENT_NAME.exec(response.headers.get('Content-Disposition') ?? '')
  return { blob: await response.blob(), filename: named?.[1] ?? 'download' }
}

/** The successful response to a request, or the ApiError it failed with. */
async function respond(path: string, options: RequestOptions): Promise<Response> {
  const token = options.auth === false ? null : hooks.getToken()
  let response = await send(path, options, token)
  // The token expired (a sleeping laptop, a tab in the background): renew it and try once more.
  const renewed = response.status === 401 && token ? await renewedToken(token) : null
  if (renewed) response = await send(path, options, renewed)

  if (!response.ok) {
    const error = await parseError(response)
    // A refusal of a session that was replaced meanwhile (signed in again) does not end the new one.
    const tried = renewed ?? token
    if (error.isUnauthorized && tried && hooks.getToken() === tried) hooks.onUnauthorized(error)
    if (error.isPasswordChangeRequired) hooks.onPasswordChangeRequired(error)
    throw error
  }
  return response
}

/** A token to retry with after `refused` got a 401: one another call renewed, or the user signed in
 * with, meanwhile (before or during this renewal), or a new one. */
async function renewedToken(refused: string): Promise<string | null> {
  const newer = () => {
    const current = hooks.getToken()
    return current && current !== refused ? current : null
  }
  return newer() ?? ((await hooks.renewToken()) ? hooks.getToken() : newer())
}

async function send(path: string, options: RequestOptions, token: string | null): Promise<Response> {
  const { method = 'GET', query, json, form, text: raw, signal } = options
  const headers = new Headers({ Accept: 'application/json' })
  let body: BodyInit | undefined
  if (form) {
    body = new URLSearchParams(form)
    headers.set('Content-Type', 'application/x-www-form-urlencoded')
  } else if (raw) {
    body = raw.content
    headers.set('Content-Type', raw.contentType)
  } else if (json !== undefined) {
    body = JSON.stringify(json)
    headers.set('Content-Type', 'application/json')
  }
  if (token) headers.set('Authorization', `Bearer ${token}`)
  try {
    // same-origin: the refresh cookie (path /api/auth) goes along, to this site only.
    return await fetch(buildUrl(path, query), { method, headers, body, signal, credentials: 'same-origin' })
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err
    throw new ApiError(0, 'Cannot reach the NetRaven API. Check your connection and try again.')
  }
}

export const http = {
  get: <T>(path: string, query?: Query, signal?: AbortSignal) =>
    request<T>(path, { query, signal }),
  post: <T>(path: string, json?: unknown, signal?: AbortSignal) =>
    request<T>(path, { method: 'POST', json, signal }),
}
