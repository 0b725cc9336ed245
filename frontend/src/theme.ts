import { definePreset } from '@primeuix/themes'
import Aura from '@primeuix/themes/aura'

/** Aura with NetRaven's primary colour; the one place theme tokens are changed. */
export const NetRavenPreset = definePreset(Aura, {
  semantic: {
    primary: {
      50: '{emerald.50}',
      100: '{emerald.100}',
      200: '{emerald.200}',
      300: '{emerald.300}',
      400: '{emerald.400}',
      500: '{emerald.500}',
      600: '{emerald.600}',
      700: '{emerald.700}',
      800: '{emerald.800}',
      900: '{emerald.900}',
      950: '{emerald.950}',
    },
  },
})

/** The class on <html> that turns dark mode on, for PrimeVue and Tailwind alike (styles.css). */
export const DARK_CLASS = 'app-dark'

export const primeVueOptions = {
  theme: {
    preset: NetRavenPreset,
    options: {
      darkModeSelector: `.${DARK_CLASS}`,
      // Tailwind utilities must win over component styles: see styles.css for the layer order.
      cssLayer: { name: 'primevue', order: 'theme, base, primevue' },
    },
  },
}
