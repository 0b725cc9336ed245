import { defineStore } from 'pinia'
import { tagsApi } from '@/api/tags'
import type { Tag } from '@/api/types'
import { useAsync } from '@/composables/useAsync'

export const useTagsStore = defineStore('tags', () => {
  const list = useAsync((signal) => tagsApi.list(signal))

  function fetchTags(): Promise<unknown> {
    return list.execute()
  }

  /** Create (no id) or rename a tag, then re-read the list. Throws the ApiError. */
  async function save(id: string | null, name: string): Promise<Tag> {
    const saved = id ? await tagsApi.rename(id, name) : await tagsApi.create(name)
    await fetchTags()
    return saved
  }

  /** Throws the API's refusal (a 409 for `default`) for the page to show. */
  async function remove(id: string): Promise<void> {
    await tagsApi.remove(id)
    await fetchTags()
  }

  return { list, fetchTags, save, remove }
})
