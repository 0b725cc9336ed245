import type { LineKind } from './diffRows'

/** Colours and shapes shared by the inline and the side-by-side diff (Tailwind classes, light and dark). */
export const LINE_CLASS: Record<LineKind, string> = {
  context: '',
  added: 'bg-green-100 text-green-950 dark:bg-green-900/40 dark:text-green-100',
  removed: 'bg-red-100 text-red-950 dark:bg-red-900/40 dark:text-red-100',
}

export const MARK: Record<LineKind, string> = { context: ' ', added: '+', removed: '-' }

export const VIEW_CLASS =
  'border-surface overflow-auto rounded-md border bg-surface-50 font-mono text-xs leading-5 dark:bg-surface-900'
export const HUNK_CLASS = 'bg-sky-50 text-sky-800 dark:bg-sky-950/50 dark:text-sky-200'
export const NUMBER_CLASS = 'text-body w-12 px-2 text-right align-top select-none'
export const BLANK_CLASS = 'bg-surface-100 dark:bg-surface-800'
