import { defineStore } from 'pinia'
import {
  configFiltersApi,
  type ConfigFilterDetail,
  type ConfigFilterInput,
  type FilterPreview,
  type PreviewInput,
} from '@/api/configFilters'
import { useAsync } from '@/composables/useAsync'
import { useEditableList } from '@/composables/useEditableList'

/** The filters list, one filter's history, and the preview of candidate patterns. */
export const useConfigFiltersStore = defineStore('configFilters', () => {
  const { list, reload: fetchFilters, change } = useEditableList((signal) => configFiltersApi.list(signal))
  const history = useAsync((signal, id: string) => configFiltersApi.get(id, signal))
  const preview = useAsync((_signal, input: PreviewInput): Promise<FilterPreview> => configFiltersApi.preview(input))

  /** Create (no id) or save a new version, then re-read the list. Throws the ApiError. */
  function save(id: string | null, input: ConfigFilterInput): Promise<ConfigFilterDetail> {
    return change(id ? configFiltersApi.update(id, input) : configFiltersApi.create(input))
  }

  /** Save an earlier version again as the newest; the history shows the answer. Throws the ApiError. */
  async function restore(id: string, version: number): Promise<ConfigFilterDetail> {
    const restored = await change(configFiltersApi.restore(id, version))
    history.data.value = restored
    return restored
  }

  function remove(id: string): Promise<void> {
    return change(configFiltersApi.remove(id))
  }

  return { list, fetchFilters, history, preview, save, restore, remove }
})
