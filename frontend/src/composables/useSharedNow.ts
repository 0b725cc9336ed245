// One clock for every relative time on the page ("3 minutes ago"), ticking twice a minute.
import { createSharedComposable, useNow } from '@vueuse/core'

export const useSharedNow = createSharedComposable(() => useNow({ interval: 30_000 }))
