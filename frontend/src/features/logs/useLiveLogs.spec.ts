import { flushPromises } from '@vue/test-utils'
import { describe, expect, it, vi } from 'vitest'
import { effectScope } from 'vue'
import { useLogsStore } from '@/stores/logs'
import { freshPinia, jsonResponse } from '@/test/helpers'
import { LIVE_BATCH_MS, useLiveLogs } from './useLiveLogs'

const opened: string[] = []

let deliver: (id: number) => void = () => {}

class RecordingSource {
  onopen: (() => void) | null = null
  onerror: (() => void) | null = null
  constructor(url: string) {
    opened.push(url)
  }
  addEventListener(_type: string, listener: (event: MessageEvent<string>) => void): void {
    deliver = (id) => listener(new MessageEvent('log', { data: JSON.stringify({ id }), lastEventId: String(id) }))
  }
  close(): void {}
}

function setup() {
  opened.length = 0
  vi.stubGlobal('EventSource', RecordingSource)
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string) =>
      url.includes('stream-token')
        ? jsonResponse({ token: 't', expires_in: 60 })
        : jsonResponse({ items: [{ id: 70 }, { id: 69 }], next_cursor: null }),
    ),
  )
  freshPinia()
  const logs = useLogsStore()
  const live = effectScope().run(() => useLiveLogs())!
  const resumeAfter = (i: number) => new URL(opened[i]!, 'http://x').searchParams.get('last_event_id')
  return { logs, live, resumeAfter }
}

describe('useLiveLogs', () => {
  it('follows on after the newest line of each first page for new filters', async () => {
    const { logs, resumeAfter } = setup()

    await logs.fetchLogs()
    await flushPromises()
    await logs.setFilters({ level: 'error' })
    await flushPromises()

    expect(opened).toHaveLength(2)
    expect(resumeAfter(0)).toBe('70')
    expect(new URL(opened[1]!, 'http://x').searchParams.get('level')).toBe('error')
  })

  it('keeps a healthy stream through a plain refresh', async () => {
    const { logs } = setup()

    await logs.fetchLogs()
    await flushPromises()
    await logs.fetchLogs()
    await flushPromises()

    expect(opened).toHaveLength(1)
  })

  it('stays closed while paused, and resumes where it stopped', async () => {
    const { logs, live, resumeAfter } = setup()
    await logs.fetchLogs()
    await flushPromises()

    live.toggle()
    await logs.fetchLogs()
    await flushPromises()
    expect(live.state.value).toBe('paused')
    expect(opened).toHaveLength(1)

    live.toggle()
    await flushPromises()
    expect(opened).toHaveLength(2)
    expect(resumeAfter(1)).toBe('70')
  })

  it('adds a burst of live lines to the table in one go', async () => {
    const { logs } = setup()
    await logs.fetchLogs()
    await flushPromises()
    vi.useFakeTimers()

    deliver(71)
    deliver(72)
    deliver(71)
    expect(logs.items.map((e) => e.id)).toEqual([70, 69])

    vi.advanceTimersByTime(LIVE_BATCH_MS)
    expect(logs.items.map((e) => e.id)).toEqual([72, 71, 70, 69])
    vi.useRealTimers()
  })
})
