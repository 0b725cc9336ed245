import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { nextTick } from 'vue'
import { DARK_CLASS } from '@/theme'
import { COLOR_SCHEME_KEY, installColorScheme, useColorScheme } from './colorScheme'

type Listener = (event: MediaQueryListEvent) => void

/** A prefers-color-scheme query the test can flip, as when the OS switches at sunset. */
function fakeSystem(dark: boolean) {
  const listeners = new Set<Listener>()
  const media = {
    matches: dark,
    addEventListener: (_: string, l: Listener) => listeners.add(l),
    removeEventListener: (_: string, l: Listener) => listeners.delete(l),
  }
  vi.stubGlobal('matchMedia', () => media)
  return {
    listeners,
    flip(next: boolean) {
      media.matches = next
      listeners.forEach((l) => l({ matches: next } as MediaQueryListEvent))
    },
  }
}

const isDark = () => document.documentElement.classList.contains(DARK_CLASS)
let uninstall: () => void = () => {}

beforeEach(() => localStorage.clear())
afterEach(() => {
  uninstall()
  vi.unstubAllGlobals()
  document.documentElement.classList.remove(DARK_CLASS)
})

describe('colour scheme', () => {
  it('follows the operating system until a choice is made, live', async () => {
    const system = fakeSystem(true)
    uninstall = installColorScheme()
    expect(isDark()).toBe(true)
    expect(useColorScheme().followsSystem.value).toBe(true)

    system.flip(false)
    await nextTick()
    expect(isDark()).toBe(false)
  })

  it('remembers a choice and keeps it over the system setting', async () => {
    const system = fakeSystem(false)
    uninstall = installColorScheme()
    useColorScheme().toggle()
    await nextTick()
    expect(isDark()).toBe(true)
    expect(localStorage.getItem(COLOR_SCHEME_KEY)).toBe('dark')

    system.flip(false)
    uninstall()
    uninstall = installColorScheme()
    expect(isDark()).toBe(true)
    expect(useColorScheme().followsSystem.value).toBe(false)
    expect(system.listeners.size).toBe(1)
  })

  it('ignores a saved value it does not know', () => {
    localStorage.setItem(COLOR_SCHEME_KEY, 'purple')
    fakeSystem(false)
    uninstall = installColorScheme()
    expect(isDark()).toBe(false)
    expect(useColorScheme().scheme.value).toBe('light')
  })
})
