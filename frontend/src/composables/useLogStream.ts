// The live log: GET /api/logs/stream as Server-Sent Events.
//
// EventSource cannot send an Authorization header, so every connection asks for a fresh
// 60-second stream token (POST /api/logs/stream-token) and puts it in the URL. The browser's own
// reconnect would reuse an expired token, so on any error the source is closed and reopened here
// with a new token and `last_event_id` (the id of the last entry received): nothing is lost or
// repeated across a reconnect or a pause.
import { getCurrentScope, onScopeDispose, readonly, shallowRef } from 'vue'
import { buildUrl, type Query } from '@/api/client'
import { logsApi } from '@/api/endpoints'
import type { LogEntry } from '@/api/logTypes'

export type LogStreamState = 'paused' | 'connecting' | 'live' | 'reconnecting'

export interface LogStreamOptions {
  /** The filters, the same as GET /api/logs takes (no cursor or limit). */
  query: () => Query
  onEntry: (entry: LogEntry) => void
  fetchToken?: () => Promise<string>
  openSource?: (url: string) => EventSource
  /** Waits before each reconnect attempt; the last one repeats. */
  retryDelaysMs?: number[]
}

const DEFAULT_RETRY_DELAYS_MS = [1000, 2000, 5000, 10_000]

export function useLogStream(options: LogStreamOptions) {
  const fetchToken = options.fetchToken ?? (async () => (await logsApi.streamToken()).token)
  const openSource = options.openSource ?? ((url: string) => new EventSource(url))
  const delays = options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS

  const state = shallowRef<LogStreamState>('paused')
  const lastError = shallowRef<string | null>(null)
  let lastEventId: number | null = null
  let source: EventSource | null = null
  let retryTimer: ReturnType<typeof setTimeout> | null = null
  let failures = 0
  // Bumped by every start and stop: an answer that arrives after it changed is dropped.
  let generation = 0

  function close(): void {
    source?.close()
    source = null
    if (retryTimer !== null) clearTimeout(retryTimer)
    retryTimer = null
  }

  async function connect(own: number): Promise<void> {
    let token: string
    try {
      token = await fetchToken()
    } catch (err) {
      if (own === generation) scheduleRetry(own, err instanceof Error ? err.message : String(err))
      return
    }
    if (own !== generation) return
    const resume = lastEventId === null ? {} : { last_event_id: lastEventId }
    const next = openSource(buildUrl('/logs/stream', { ...options.query(), ...resume, token }))
    source = next
    next.onopen = () => {
      if (own !== generation) return
      failures = 0
      lastError.value = null
      state.value = 'live'
    }
    next.onerror = () => {
      if (own !== generation) return
      next.close()
      source = null
      scheduleRetry(own, 'the live log connection dropped')
    }
    next.addEventListener('log', (event) => receive(event as MessageEvent<string>))
  }

  function receive(event: MessageEvent<string>): void {
    const id = Number(event.lastEventId)
    if (Number.isSafeInteger(id)) lastEventId = id
    let entry: LogEntry
    try {
      entry = JSON.parse(event.data) as LogEntry
    } catch {
      return // a line the dashboard cannot read is skipped, not fatal to the stream
    }
    options.onEntry(entry)
  }

  function scheduleRetry(own: number, reason: string): void {
    lastError.value = reason
    state.value = 'reconnecting'
    const wait = delays[Math.min(failures, delays.length - 1)] ?? 0
    failures++
    retryTimer = setTimeout(() => {
      retryTimer = null
      if (own === generation) void connect(own)
    }, wait)
  }

  /** Open the stream; entries after `afterId` (default: where it stopped, else from now). */
  function start(afterId: number | null = lastEventId): void {
    close()
    lastEventId = afterId
    failures = 0
    lastError.value = null
    state.value = 'connecting'
    void connect(++generation)
  }

  /** Close the stream, remembering where it stopped so `start()` picks up from there. */
  function pause(): void {
    generation++
    close()
    state.value = 'paused'
  }

  if (getCurrentScope()) onScopeDispose(pause)

  return { state: readonly(state), lastError: readonly(lastError), start, pause }
}
