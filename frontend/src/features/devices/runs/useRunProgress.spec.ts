import { flushPromises } from '@vue/test-utils'
import { describe, expect, it } from 'vitest'
import { effectScope, watch } from 'vue'
import { ApiError } from '@/api/client'
import { stubEventSource } from '@/test/fakeEventSource'
import { jsonResponse, mockFetch } from '@/test/helpers'
import { useRunProgress } from './useRunProgress'

const run = (status: string) => ({ id: 'r9', status, results: [] })
const token = () => jsonResponse({ token: 't', expires_in: 60 })
const announced = (runId: string) => ({ run_id: runId, status: 'running' })

describe('useRunProgress', () => {
  it('reads a started run when the stream opens and when it is announced, until done', async () => {
    const sources = stubEventSource()
    const fetchMock = mockFetch(
      token(),
      jsonResponse(run('queued')),
      jsonResponse(run('running')),
      jsonResponse(run('succeeded')),
    )
    const scope = effectScope()
    const progress = scope.run(() => useRunProgress())!
    const seen: string[] = []
    scope.run(() => watch(progress.run, (next) => next && seen.push(next.status), { flush: 'sync' }))
    const finished = progress.start(async () => ({ run_id: 'r9' }))
    expect(progress.active.value).toBe(true)
    await flushPromises()
    expect(seen).toEqual(['queued'])

    sources[0]!.send('run', announced('another-run'))
    await flushPromises()
    expect(fetchMock).toHaveBeenCalledTimes(2)
    sources[0]!.send('run', announced('r9'))
    await flushPromises()
    sources[0]!.send('run', announced('r9'))
    const result = await finished

    expect(result?.status).toBe('succeeded')
    expect(progress.runId.value).toBe('r9')
    expect(progress.active.value).toBe(false)
    expect(seen).toEqual(['queued', 'running', 'succeeded'])
    expect(sources[0]!.closed).toBe(true)
    scope.stop()
  })

  it('reports a refusal to start', async () => {
    const scope = effectScope()
    const progress = scope.run(() => useRunProgress())!
    const result = await progress.start(() => Promise.reject(new ApiError(404, 'no device with id x')))
    expect(result).toBeNull()
    expect(progress.error.value?.message).toBe('no device with id x')
    expect(progress.active.value).toBe(false)
    scope.stop()
  })
})
