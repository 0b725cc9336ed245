import { defineStore } from 'pinia'
import { sitesApi, type SiteInput } from '@/api/sites'
import type { Site } from '@/api/types'
import { useEditableList } from '@/composables/useEditableList'

export const useSitesStore = defineStore('sites', () => {
  const { list, reload: fetchSites, change } = useEditableList((signal) => sitesApi.list(signal))

  /** Register a site, then re-read the list. Throws the ApiError (a 422 names a bad key). */
  function create(input: SiteInput): Promise<Site> {
    return change(sitesApi.create(input))
  }

  /** Throws the API's refusal (a 409 while devices belong to the site) for the page to show. */
  function remove(id: string): Promise<void> {
    return change(sitesApi.remove(id))
  }

  /** Loads the list once, for the device form's site picker. */
  function ensureLoaded(): void {
    if (!list.loaded.value && !list.loading.value) void fetchSites()
  }

  return { list, fetchSites, create, remove, ensureLoaded }
})
