import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { effectScope } from 'vue'
import type { LogEntry } from '@/api/logTypes'
import { useLogStream, type LogStreamOptions } from './useLogStream'

/** Stands in for the browser's EventSource: the test opens, feeds and breaks it. */
class FakeSource {
  onopen: (() => void) | null = null
  onerror: (() => void) | null = null
  closed = false
  private listeners: Array<(event: MessageEvent<string>) => void> = []

  constructor(readonly url: string) {}

  addEventListener(type: string, listener: (event: MessageEvent<string>) => void): void {
    if (type === 'log') this.listeners.push(listener)
  }

  close(): void {
    this.closed = true
  }

  open(): void {
    this.onopen?.()
  }

  send(id: number, data: string): void {
    const event = new MessageEvent('log', { data, lastEventId: String(id) })
    this.listeners.forEach((listener) => listener(event))
  }

  fail(): void {
    this.onerror?.()
  }

  param(name: string): string | null {
    return new URL(this.url, 'http://x').searchParams.get(name)
  }
}

function entry(id: number, message = `line ${id}`): LogEntry {
  return {
    id,
    timestamp: '2026-03-01T12:00:00Z',
    level: 'info',
    log_type: 'job',
    message,
    source: 'worker',
    job_id: null,
    run_id: null,
    device_id: null,
    extra: {},
  }
}

function setup(overrides: Partial<LogStreamOptions> = {}) {
  const sources: FakeSource[] = []
  const received: LogEntry[] = []
  let tokens = 0
  const fetchToken = vi.fn(async () => `token-${++tokens}`)
  const scope = effectScope()
  const stream = scope.run(() =>
    useLogStream({
      query: () => ({ level: 'error', device_id: null }),
      onEntry: (e) => received.push(e),
      fetchToken,
      openSource: (url) => {
        const source = new FakeSource(url)
        sources.push(source)
        return source as unknown as EventSource
      },
      retryDelaysMs: [100, 500],
      ...overrides,
    }),
  )!
  const latest = () => sources[sources.length - 1]!
  return { stream, sources, latest, received, fetchToken, scope }
}

describe('useLogStream', () => {
  beforeEach(() => vi.useFakeTimers())
  afterEach(() => vi.useRealTimers())

  it('opens the stream with a stream token and the filters, and is live once open', async () => {
    const { stream, latest, sources } = setup()

    stream.start()
    expect(stream.state.value).toBe('connecting')
    await vi.runOnlyPendingTimersAsync()

    expect(sources).toHaveLength(1)
    expect(latest().url).toMatch(/^\/api\/logs\/stream\?/)
    expect(latest().param('token')).toBe('token-1')
    expect(latest().param('level')).toBe('error')
    expect(latest().param('device_id')).toBeNull()
    expect(latest().param('last_event_id')).toBeNull()
    latest().open()
    expect(stream.state.value).toBe('live')
  })

  it('hands each log event to onEntry and skips one it cannot parse', async () => {
    const { stream, latest, received } = setup()
    stream.start()
    await vi.runOnlyPendingTimersAsync()
    latest().open()

    latest().send(7, JSON.stringify(entry(7)))
    latest().send(8, '{not json')
    latest().send(9, JSON.stringify(entry(9)))

    expect(received.map((e) => e.id)).toEqual([7, 9])
  })

  it('reconnects after an error with a fresh token, resuming after the last event id', async () => {
    const { stream, latest, sources, fetchToken } = setup()
    stream.start()
    await vi.runOnlyPendingTimersAsync()
    latest().open()
    latest().send(41, JSON.stringify(entry(41)))

    const broken = latest()
    broken.fail()
    expect(broken.closed).toBe(true)
    expect(stream.state.value).toBe('reconnecting')
    expect(stream.lastError.value).toContain('dropped')

    await vi.advanceTimersByTimeAsync(99)
    expect(sources).toHaveLength(1)
    await vi.advanceTimersByTimeAsync(1)
    expect(sources).toHaveLength(2)
    expect(fetchToken).toHaveBeenCalledTimes(2)
    expect(latest().param('token')).toBe('token-2')
    expect(latest().param('last_event_id')).toBe('41')
    latest().open()
    expect(stream.state.value).toBe('live')
    expect(stream.lastError.value).toBeNull()
  })

  it('backs off while failures repeat, and keeps trying when the token call fails', async () => {
    let calls = 0
    const { stream, sources } = setup({
      fetchToken: async () => {
        calls++
        if (calls > 1) throw new Error('Cannot reach the NetRaven API')
        return 'token'
      },
    })
    stream.start()
    await vi.runOnlyPendingTimersAsync()
    sources[0]!.fail()

    await vi.advanceTimersByTimeAsync(100) // first retry: the token call fails
    expect(stream.state.value).toBe('reconnecting')
    expect(stream.lastError.value).toBe('Cannot reach the NetRaven API')
    await vi.advanceTimersByTimeAsync(499)
    expect(calls).toBe(2)
    await vi.advanceTimersByTimeAsync(1) // second retry waits the longer delay
    expect(calls).toBe(3)
    await vi.advanceTimersByTimeAsync(500) // the last delay repeats
    expect(calls).toBe(4)
  })

  it('pauses without losing its place: resuming asks for what came after', async () => {
    const { stream, latest, sources } = setup()
    stream.start()
    await vi.runOnlyPendingTimersAsync()
    latest().open()
    latest().send(12, JSON.stringify(entry(12)))

    stream.pause()
    expect(stream.state.value).toBe('paused')
    expect(sources[0]!.closed).toBe(true)
    sources[0]!.fail() // a late error from the closed source changes nothing
    await vi.runAllTimersAsync()
    expect(sources).toHaveLength(1)

    stream.start()
    await vi.runOnlyPendingTimersAsync()
    expect(sources).toHaveLength(2)
    expect(latest().param('last_event_id')).toBe('12')
  })

  it('starts from a given id after the filters change', async () => {
    const { stream, latest } = setup()
    stream.start(100)
    await vi.runOnlyPendingTimersAsync()
    expect(latest().param('last_event_id')).toBe('100')
  })

  it('closes the stream when its owner goes away', async () => {
    const { stream, latest, scope } = setup()
    stream.start()
    await vi.runOnlyPendingTimersAsync()
    latest().open()

    scope.stop()

    expect(latest().closed).toBe(true)
    expect(stream.state.value).toBe('paused')
  })
})
