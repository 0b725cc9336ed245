// Follows one run until it is finished: the ad-hoc backup and reachability runs of a device.
import { runsApi } from '@/api/endpoints'
import type { RunDetail } from '@/api/types'

const FINISHED = new Set(['succeeded', 'failed', 'partial', 'cancelled'])

export function isFinished(run: Pick<RunDetail, 'status'>): boolean {
  return FINISHED.has(run.status)
}

export interface WaitOptions {
  signal?: AbortSignal
  intervalMs?: number
  /** Called with every state of the run read, the final one included. */
  onUpdate?: (run: RunDetail) => void
}

function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms)
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer)
        reject(signal.reason)
      },
      { once: true },
    )
  })
}

/** Poll GET /runs/{id} until the run is finished; resolves to its final state. */
export async function waitForRun(runId: string, options: WaitOptions = {}): Promise<RunDetail> {
  const { signal, intervalMs = 1000, onUpdate } = options
  for (;;) {
    signal?.throwIfAborted()
    const run = await runsApi.get(runId, signal)
    onUpdate?.(run)
    if (isFinished(run)) return run
    await pause(intervalMs, signal)
  }
}
