import { describe, expect, it } from 'vitest'
import { ApiError } from '@/api/client'
import { useSubmit } from './useSubmit'

describe('useSubmit', () => {
  it('is busy while the call runs and clears an earlier failure', async () => {
    const { busy, failure, attempt } = useSubmit()
    failure.value = 'Enter a name'
    let release!: () => void
    const pending = attempt(() => new Promise<void>((resolve) => (release = resolve)))

    expect(busy.value).toBe(true)
    expect(failure.value).toBeNull()
    release()
    await pending
    expect(busy.value).toBe(false)
    expect(failure.value).toBeNull()
  })

  it('keeps the API’s refusal as text and is no longer busy', async () => {
    const { busy, failure, attempt } = useSubmit()

    await attempt(() => Promise.reject(new ApiError(409, 'name taken')))

    expect(failure.value).toBe('name taken')
    expect(busy.value).toBe(false)
  })
})
