import { defineStore } from 'pinia'
import {
  inventorySourcesApi,
  type InventorySource,
  type InventorySourceChanges,
  type InventorySourceInput,
  type SyncReport,
} from '@/api/inventorySources'
import { useEditableList } from '@/composables/useEditableList'

export const useInventorySourcesStore = defineStore('inventorySources', () => {
  const { list, reload: fetchSources, change } = useEditableList((signal) => inventorySourcesApi.list(signal))

  /** Create (no id) or change a source, then re-read the list. Throws the ApiError. */
  function save(id: string | null, input: InventorySourceInput | InventorySourceChanges): Promise<InventorySource> {
    return change(
      id ? inventorySourcesApi.update(id, input) : inventorySourcesApi.create(input as InventorySourceInput),
    )
  }

  function remove(id: string): Promise<void> {
    return change(inventorySourcesApi.remove(id))
  }

  /** What a sync would do; writes nothing. */
  function preview(id: string): Promise<SyncReport> {
    return inventorySourcesApi.preview(id)
  }

  /** Sync now, then re-read the list (its last sync and counts). A failed sync re-reads it too. */
  async function syncNow(id: string): Promise<SyncReport> {
    try {
      return await change(inventorySourcesApi.sync(id))
    } catch (error) {
      await fetchSources()
      throw error
    }
  }

  return { list, fetchSources, save, remove, preview, syncNow }
})
