import { describe, expect, it } from 'vitest'
import { effectScope, watch } from 'vue'
import { ApiError } from '@/api/client'
import { jsonResponse, mockFetch } from '@/test/helpers'
import { useRunProgress } from './useRunProgress'

const run = (status: string) => ({ id: 'r9', status, results: [] })

describe('useRunProgress', () => {
  it('follows a started run until it finishes, showing each state', async () => {
    mockFetch(jsonResponse(run('queued')), jsonResponse(run('running')), jsonResponse(run('succeeded')))
    const scope = effectScope()
    const progress = scope.run(() => useRunProgress(1))!
    const seen: string[] = []
    scope.run(() => watch(progress.run, (next) => next && seen.push(next.status), { flush: 'sync' }))
    const finished = progress.start(async () => ({ run_id: 'r9' }))
    expect(progress.active.value).toBe(true)
    const result = await finished

    expect(result?.status).toBe('succeeded')
    expect(progress.runId.value).toBe('r9')
    expect(progress.active.value).toBe(false)
    expect(seen).toEqual(['queued', 'running', 'succeeded'])
    scope.stop()
  })

  it('reports a refusal to start', async () => {
    const scope = effectScope()
    const progress = scope.run(() => useRunProgress(1))!
    const result = await progress.start(() => Promise.reject(new ApiError(404, 'no device with id x')))
    expect(result).toBeNull()
    expect(progress.error.value?.message).toBe('no device with id x')
    expect(progress.active.value).toBe(false)
    scope.stop()
  })
})
