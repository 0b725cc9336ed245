// Follows one run until it is finished: the ad-hoc backup and reachability runs of a device.
// The run is read when the run stream opens and each time the API announces it, never on a timer.
import { runsApi } from '@/api/endpoints'
import type { RunDetail } from '@/api/types'
import { useRunStream } from '@/composables/useRunStream'
import type { StreamConnection } from '@/composables/useServerEvents'

const FINISHED = new Set(['succeeded', 'failed', 'partial', 'cancelled'])

export function isFinished(run: Pick<RunDetail, 'status'>): boolean {
  return FINISHED.has(run.status)
}

export interface WaitOptions {
  signal?: AbortSignal
  /** Called with every state of the run read, the final one included. */
  onUpdate?: (run: RunDetail) => void
  connection?: StreamConnection
}

/** Resolves to the run's final state; rejects when reading it fails or `signal` aborts. */
export function waitForRun(runId: string, options: WaitOptions = {}): Promise<RunDetail> {
  const { signal, onUpdate } = options
  return new Promise((resolve, reject) => {
    let done = false
    let reading = false
    let readAgain = false

    function end(settle: () => void): void {
      if (done) return
      done = true
      stream.stop()
      signal?.removeEventListener('abort', abort)
      settle()
    }

    // One read at a time; an announcement during a read asks for one more after it.
    async function read(): Promise<void> {
      if (reading) {
        readAgain = true
        return
      }
      reading = true
      try {
        do {
          readAgain = false
          const run = await runsApi.get(runId, signal)
          if (done) return
          onUpdate?.(run)
          if (isFinished(run)) return end(() => resolve(run))
        } while (readAgain)
      } catch (err) {
        end(() => reject(err))
      } finally {
        reading = false
      }
    }

    function abort(): void {
      end(() => reject(signal?.reason))
    }

    const stream = useRunStream({
      ...options.connection,
      onOpen: () => void read(),
      onProgress: (progress) => {
        if (progress.run_id === runId) void read()
      },
    })
    if (signal?.aborted) return abort()
    signal?.addEventListener('abort', abort, { once: true })
    stream.start()
  })
}
