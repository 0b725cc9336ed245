import { describe, expect, it } from 'vitest'
import { ApiError } from '@/api/client'
import { useAsync } from './useAsync'

function deferred<T>() {
  let resolve!: (v: T) => void
  let reject!: (e: unknown) => void
  const promise = new Promise<T>((res, rej) => {
    resolve = res
    reject = rej
  })
  return { promise, resolve, reject }
}

describe('useAsync', () => {
  it('tracks loading, data and loaded', async () => {
    const d = deferred<number>()
    const state = useAsync(() => d.promise)

    const call = state.execute()
    expect(state.loading.value).toBe(true)
    expect(state.loaded.value).toBe(false)
    d.resolve(7)
    await expect(call).resolves.toBe(7)

    expect(state.loading.value).toBe(false)
    expect(state.loaded.value).toBe(true)
    expect(state.data.value).toBe(7)
    expect(state.error.value).toBeNull()
  })

  it('stores the ApiError of a failed call', async () => {
    const state = useAsync(() => Promise.reject(new ApiError(500, 'boom')))
    await state.execute()
    expect(state.error.value?.message).toBe('boom')
    expect(state.data.value).toBeNull()
  })

  it('drops a slow response that a newer call replaced, and aborts it', async () => {
    const first = deferred<string>()
    const second = deferred<string>()
    const signals: AbortSignal[] = []
    const queue = [first, second]
    const state = useAsync((signal) => {
      signals.push(signal)
      return queue.shift()!.promise
    })

    const a = state.execute()
    const b = state.execute()
    expect(signals[0]!.aborted).toBe(true)
    second.resolve('new')
    first.resolve('old')

    await expect(a).resolves.toBeUndefined()
    await expect(b).resolves.toBe('new')
    expect(state.data.value).toBe('new')
    expect(state.loading.value).toBe(false)
  })
})
