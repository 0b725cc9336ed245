import { defineStore } from 'pinia'
import { tagsApi, type TagInput } from '@/api/tags'
import type { Tag } from '@/api/types'
import { useEditableList } from '@/composables/useEditableList'

export const useTagsStore = defineStore('tags', () => {
  const { list, reload: fetchTags, change } = useEditableList((signal) => tagsApi.list(signal))

  /** Create (no id) or change a tag (its name, its jump host), then re-read the list. Throws the ApiError. */
  function save(id: string | null, input: TagInput): Promise<Tag> {
    return change(id ? tagsApi.update(id, input) : tagsApi.create(input))
  }

  /** Throws the API's refusal (a 409 for `default`) for the page to show. */
  function remove(id: string): Promise<void> {
    return change(tagsApi.remove(id))
  }

  return { list, fetchTags, save, remove }
})
