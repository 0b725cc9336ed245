// The live log: GET /api/logs/stream as Server-Sent Events (connection and reconnects:
// useServerEvents). Every connection resumes with `last_event_id`, the id of the last entry
// received: nothing is lost or repeated across a reconnect or a pause.
import { buildUrl, type Query } from '@/api/client'
import type { LogEntry } from '@/api/logTypes'
import { useServerEvents, type StreamConnection, type StreamState } from './useServerEvents'

export type LogStreamState = StreamState

export interface LogStreamOptions extends StreamConnection {
  /** The filters, the same as GET /api/logs takes (no cursor or limit). */
  query: () => Query
  onEntry: (entry: LogEntry) => void
}

export function useLogStream(options: LogStreamOptions) {
  let lastEventId: number | null = null

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

  const events = useServerEvents({
    ...options,
    url: (token) => {
      const resume = lastEventId === null ? {} : { last_event_id: lastEventId }
      return buildUrl('/logs/stream', { ...options.query(), ...resume, token })
    },
    on: { log: receive },
    droppedMessage: 'the live log connection dropped',
  })

  /** Open the stream; entries after `afterId` (default: where it stopped, else from now). */
  function start(afterId: number | null = lastEventId): void {
    lastEventId = afterId
    events.start()
  }

  /** Close the stream, remembering where it stopped so `start()` picks up from there. */
  function pause(): void {
    events.stop()
  }

  return { state: events.state, lastError: events.lastError, start, pause }
}
