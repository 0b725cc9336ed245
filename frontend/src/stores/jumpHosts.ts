import { defineStore } from 'pinia'
import { jumpHostsApi, type JumpHost, type JumpHostInput } from '@/api/jumpHosts'
import { useEditableList } from '@/composables/useEditableList'

export const useJumpHostsStore = defineStore('jumpHosts', () => {
  const { list, reload: fetchJumpHosts, change } = useEditableList((signal) => jumpHostsApi.list(signal))

  /** Create (no id) or change a jump host, then re-read the list. Throws the ApiError. */
  function save(id: string | null, input: Partial<JumpHostInput>): Promise<JumpHost> {
    return change(id ? jumpHostsApi.update(id, input) : jumpHostsApi.create(input as JumpHostInput))
  }

  /** Throws the API's refusal (a 409 naming the devices and tags that use it) for the page to show. */
  function remove(id: string): Promise<void> {
    return change(jumpHostsApi.remove(id))
  }

  /** Loads the list once, for pickers in other forms. */
  function ensureLoaded(): void {
    if (!list.loaded.value && !list.loading.value) void fetchJumpHosts()
  }

  return { list, fetchJumpHosts, save, remove, ensureLoaded }
})
