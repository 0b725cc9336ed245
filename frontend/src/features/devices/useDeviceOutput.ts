// Which stored text of a device the detail page shows: its configuration, or one of the driver's
// extra outputs (`version`, `inventory`, ...) kept beside it at each version. Lives in the URL
// (?output=), so a view of a device's inventory history can be shared.
import { computed, type Ref } from 'vue'
import { useRoute, useRouter } from 'vue-router'
import { usePlatformsStore } from '@/stores/platforms'

export const CONFIG = 'config'

export function useDeviceOutput(deviceType: Ref<string | undefined>) {
  const route = useRoute()
  const router = useRouter()
  const platforms = usePlatformsStore()
  platforms.ensureLoaded()

  const outputs = computed(
    () => platforms.platforms.find((p) => p.platform === deviceType.value)?.outputs ?? [],
  )
  const choices = computed(() => [
    { value: CONFIG, label: 'Configuration' },
    ...outputs.value.map((name) => ({ value: name, label: name })),
  ])
  const chosen = computed<string>({
    get: () => (typeof route.query.output === 'string' ? route.query.output : CONFIG),
    set: (next) =>
      void router.replace({ query: { ...route.query, output: next === CONFIG ? undefined : next } }),
  })
  /** What the API's `output` parameter takes: null for the configuration itself. */
  const output = computed(() => (chosen.value === CONFIG ? null : chosen.value))
  return { choices, chosen, output }
}
