import { describe, expect, it, vi } from 'vitest'
import { ApiError } from '@/api/client'
import { useConfirmedAction } from './useConfirmedAction'

describe('useConfirmedAction', () => {
  it('closes once the action is done', async () => {
    const action = vi.fn().mockResolvedValue(undefined)
    const confirmed = useConfirmedAction(action)
    confirmed.ask()
    expect(confirmed.open.value).toBe(true)
    await confirmed.confirm()
    expect(action).toHaveBeenCalledOnce()
    expect(confirmed.open.value).toBe(false)
  })

  it('stays open with the API refusal, and forgets it when asked again', async () => {
    const confirmed = useConfirmedAction(() =>
      Promise.reject(new ApiError(409, 'the device offered another key since: reload')),
    )
    confirmed.ask()
    await confirmed.confirm()
    expect([confirmed.open.value, confirmed.busy.value]).toEqual([true, false])
    expect(confirmed.error.value).toBe('the device offered another key since: reload')
    confirmed.ask()
    expect(confirmed.error.value).toBeNull()
  })
})
