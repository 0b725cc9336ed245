// Light or dark: the person's saved choice, else the operating system's, applied as the
// DARK_CLASS on <html> that PrimeVue's darkModeSelector and Tailwind's `dark:` variant both read.
import { computed, effectScope, ref, watchEffect } from 'vue'
import { DARK_CLASS } from '@/theme'

export type ColorScheme = 'light' | 'dark'

export const COLOR_SCHEME_KEY = 'netraven.colorScheme'
const DARK_QUERY = '(prefers-color-scheme: dark)'

function readSaved(): ColorScheme | null {
  try {
    const value = localStorage.getItem(COLOR_SCHEME_KEY)
    return value === 'light' || value === 'dark' ? value : null
  } catch {
    return null
  }
}

function writeSaved(value: ColorScheme): void {
  try {
    localStorage.setItem(COLOR_SCHEME_KEY, value)
  } catch {
    // storage unavailable (private mode): the choice lasts for this page only
  }
}

function systemMedia(): MediaQueryList | null {
  return typeof window.matchMedia === 'function' ? window.matchMedia(DARK_QUERY) : null
}

const saved = ref<ColorScheme | null>(null)
const systemDark = ref(false)
const scheme = computed<ColorScheme>(() => saved.value ?? (systemDark.value ? 'dark' : 'light'))
let stop: (() => void) | null = null

/** Apply the scheme now and keep <html> in step with it; call once before mounting the app. */
export function installColorScheme(): () => void {
  stop?.()
  saved.value = readSaved()
  const media = systemMedia()
  systemDark.value = media?.matches ?? false
  const onSystemChange = (event: MediaQueryListEvent) => (systemDark.value = event.matches)
  media?.addEventListener('change', onSystemChange)
  const scope = effectScope(true)
  scope.run(() =>
    watchEffect(() => document.documentElement.classList.toggle(DARK_CLASS, scheme.value === 'dark')),
  )
  stop = () => {
    media?.removeEventListener('change', onSystemChange)
    scope.stop()
    stop = null
  }
  return stop
}

export function useColorScheme() {
  return {
    scheme,
    /** True while no choice is saved and the operating system decides. */
    followsSystem: computed(() => saved.value === null),
    /** Switch to the other scheme and remember it. */
    toggle(): void {
      saved.value = scheme.value === 'dark' ? 'light' : 'dark'
      writeSaved(saved.value)
    },
  }
}
