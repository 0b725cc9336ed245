import { defineStore } from 'pinia'
import { computed } from 'vue'
import { platformsApi } from '@/api/platforms'
import { useAsync } from '@/composables/useAsync'

export interface PlatformOption {
  label: string
  value: string
}

/** The api reads the drivers once, at startup: one fetch serves every form until a refresh. */
export const usePlatformsStore = defineStore('platforms', () => {
  const list = useAsync((signal) => platformsApi.list(signal))

  function ensureLoaded(): void {
    if (!list.data.value && !list.loading.value) void list.execute()
  }

  const platforms = computed(() => list.data.value?.platforms ?? [])
  const errors = computed(() => list.data.value?.errors ?? [])

  /** The choices of a device type; `current` is kept even when no driver has it any more. */
  function options(current?: string): PlatformOption[] {
    const choices = platforms.value.map((p) => ({
      label: p.source === 'local' ? `${p.platform} (local)` : p.platform,
      value: p.platform,
    }))
    if (current && !choices.some((c) => c.value === current)) {
      choices.unshift({ label: `${current} (no driver)`, value: current })
    }
    return choices
  }

  return { list, platforms, errors, ensureLoaded, options }
})
