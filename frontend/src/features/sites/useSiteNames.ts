import { computed } from 'vue'
import { useSitesStore } from '@/stores/sites'

/** A device's site by name (its `site_id` is all the device says), loading the sites once. */
export function useSiteNames() {
  const sites = useSitesStore()
  sites.ensureLoaded()
  const names = computed(() => new Map((sites.list.data ?? []).map((site) => [site.id, site.name])))
  return {
    hasSites: computed(() => names.value.size > 0),
    siteName: (siteId: string | null | undefined): string =>
      siteId ? (names.value.get(siteId) ?? 'unknown site') : 'central',
  }
}
