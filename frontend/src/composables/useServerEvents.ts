// A Server-Sent Events stream of the API that stays open: the live log and live run progress.
//
// EventSource cannot send an Authorization header, so every connection asks for a fresh
// 60-second stream token (POST /api/logs/stream-token) and puts it in the URL. The browser's own
// reconnect would reuse an expired token, so on any error the source is closed and reopened here
// with a new token, after a delay that grows while failures repeat.
import { getCurrentScope, onScopeDispose, readonly, shallowRef } from 'vue'
import { logsApi } from '@/api/endpoints'

export type StreamState = 'paused' | 'connecting' | 'live' | 'reconnecting'

export interface StreamConnection {
  fetchToken?: () => Promise<string>
  openSource?: (url: string) => EventSource
  /** Waits before each reconnect attempt; the last one repeats. */
  retryDelaysMs?: number[]
}

export interface ServerEventsOptions extends StreamConnection {
  /** The stream's URL for a connection with this token. */
  url: (token: string) => string
  /** A listener per event name. */
  on: Record<string, (event: MessageEvent<string>) => void>
  /** Each time a connection opens. */
  onOpen?: () => void
  /** What `lastError` says when an open connection drops. */
  droppedMessage: string
}

const DEFAULT_RETRY_DELAYS_MS = [1000, 2000, 5000, 10_000]

export function useServerEvents(options: ServerEventsOptions) {
  const fetchToken = options.fetchToken ?? (async () => (await logsApi.streamToken()).token)
  const openSource = options.openSource ?? ((url: string) => new EventSource(url))
  const delays = options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS

  const state = shallowRef<StreamState>('paused')
  const lastError = shallowRef<string | null>(null)
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
    const next = openSource(options.url(token))
    source = next
    next.onopen = () => {
      if (own !== generation) return
      failures = 0
      lastError.value = null
      state.value = 'live'
      options.onOpen?.()
    }
    next.onerror = () => {
      if (own !== generation) return
      next.close()
      source = null
      scheduleRetry(own, options.droppedMessage)
    }
    for (const [name, listener] of Object.entries(options.on)) {
      next.addEventListener(name, (event) => listener(event as MessageEvent<string>))
    }
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

  function start(): void {
    close()
    failures = 0
    lastError.value = null
    state.value = 'connecting'
    void connect(++generation)
  }

  function stop(): void {
    generation++
    close()
    state.value = 'paused'
  }

  if (getCurrentScope()) onScopeDispose(stop)

  return { state: readonly(state), lastError: readonly(lastError), start, stop }
}
