import { flushPromises } from '@vue/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { effectScope } from 'vue'
import { stubEventSource } from '@/test/fakeEventSource'
import { makeRunProgress } from '@/test/fixtures'
import { useRunStream, type RunProgress } from './useRunStream'

const progress = (status: RunProgress['status']) => makeRunProgress({ status })

function setup() {
  const sources = stubEventSource()
  const heard: RunProgress[] = []
  const onOpen = vi.fn()
  let tokens = 0
  const scope = effectScope()
  const stream = scope.run(() =>
    useRunStream({
      onProgress: (p) => heard.push(p),
      onOpen,
      fetchToken: async () => `token-${++tokens}`,
      retryDelaysMs: [10],
    }),
  )!
  return { stream, sources, heard, onOpen, scope }
}

describe('useRunStream', () => {
  afterEach(() => vi.useRealTimers())

  it('opens GET /api/runs/stream with a stream token and hands on each announcement', async () => {
    const { stream, sources, heard, onOpen } = setup()
    stream.start()
    await flushPromises()

    expect(sources).toHaveLength(1)
    expect(sources[0]!.url).toBe('/api/runs/stream?token=token-1')
    expect(stream.state.value).toBe('live')
    expect(onOpen).toHaveBeenCalledTimes(1)
    sources[0]!.send('run', progress('running'))
    expect(heard.map((p) => p.status)).toEqual(['running'])
  })

  it('skips an announcement it cannot read', async () => {
    const { stream, sources, heard } = setup()
    stream.start()
    await flushPromises()
    sources[0]!.send('run', progress('queued'))
    sources[0]!.sendText('run', '{not json')
    expect(heard).toHaveLength(1)
  })

  it('reconnects with a fresh token and has the page read again: nothing is kept', async () => {
    vi.useFakeTimers()
    const { stream, sources, onOpen } = setup()
    stream.start()
    await vi.advanceTimersByTimeAsync(0)
    sources[0]!.fail()
    expect(stream.state.value).toBe('reconnecting')

    await vi.advanceTimersByTimeAsync(10)

    expect(sources).toHaveLength(2)
    expect(sources[0]!.closed).toBe(true)
    expect(sources[1]!.url).toContain('token=token-2')
    expect(onOpen).toHaveBeenCalledTimes(2)
  })

  it('closes when its owner goes away', async () => {
    const { stream, sources, scope } = setup()
    stream.start()
    await flushPromises()
    scope.stop()
    expect(sources[0]!.closed).toBe(true)
    expect(stream.state.value).toBe('paused')
  })
})
