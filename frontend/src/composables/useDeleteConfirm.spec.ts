import { describe, expect, it, vi } from 'vitest'
import { ApiError } from '@/api/client'
import { useDeleteConfirm } from './useDeleteConfirm'

describe('useDeleteConfirm', () => {
  it('opens for an item and closes once it is deleted', async () => {
    const remove = vi.fn().mockResolvedValue(undefined)
    const deletion = useDeleteConfirm(remove)
    deletion.ask({ id: 'x' })
    expect([deletion.open.value, deletion.target.value]).toEqual([true, { id: 'x' }])
    await deletion.confirm()
    expect(remove).toHaveBeenCalledWith({ id: 'x' })
    expect(deletion.open.value).toBe(false)
  })

  it('stays open with the API refusal, and forgets it when asked again', async () => {
    const deletion = useDeleteConfirm(() => Promise.reject(new ApiError(409, "the 'default' tag cannot be deleted")))
    deletion.ask('default')
    await deletion.confirm()
    expect(deletion.open.value).toBe(true)
    expect(deletion.error.value).toBe("the 'default' tag cannot be deleted")
    expect(deletion.busy.value).toBe(false)
    deletion.ask('other')
    expect(deletion.error.value).toBeNull()
  })
})
