// Run progress, live: GET /api/runs/stream as Server-Sent Events, a `run` event each time the API
// commits a change to a run (started, a device's result recorded, cancelled). Announcements are not
// kept, so each time the stream opens, `onOpen` has the page fetch what it shows: what changed
// before the stream opened, or while it was down, is read then.
import { buildUrl } from '@/api/client'
import type { JobKind, RunStatus } from '@/api/types'
import { useServerEvents, type StreamConnection } from './useServerEvents'

/** The API's RunProgressed announcement. */
export interface RunProgress {
  run_id: string
  job_id: string | null
  kind: JobKind
  status: RunStatus
  device_count: number
  succeeded_count: number
  failed_count: number
  started_at: string | null
  finished_at: string | null
  /** When the change was committed. */
  occurred_at: string
}

export interface RunStreamOptions extends StreamConnection {
  onProgress: (progress: RunProgress) => void
  onOpen: () => void
}

export function useRunStream(options: RunStreamOptions) {
  function receive(event: MessageEvent<string>): void {
    let progress: RunProgress
    try {
      progress = JSON.parse(event.data) as RunProgress
    } catch {
      return
    }
    options.onProgress(progress)
  }

  return useServerEvents({
    ...options,
    url: (token) => buildUrl('/runs/stream', { token }),
    on: { run: receive },
    onOpen: options.onOpen,
    droppedMessage: 'the live run connection dropped',
  })
}
