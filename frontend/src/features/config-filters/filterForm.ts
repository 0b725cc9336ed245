// The filter editor's form: rows the person edits, the input the API takes, and the API's 422 mapped
// back onto the rows (`redactions.2.pattern` names the third redaction's pattern).
import type { ApiError } from '@/api/client'
import type { ConfigFilter, ConfigFilterInput, FilterRedaction } from '@/api/configFilters'

export const MAX_PATTERN_CHARS = 500

export interface PatternRow {
  key: number
  pattern: string
  /** What goes between the kept text (group 1) and `<redacted>`; unused by noise rows. */
  separator: string
}

export type ScopeKind = 'platform' | 'tag'

export interface FilterForm {
  name: string
  scope: ScopeKind
  platform: string
  tag: string
  redactions: PatternRow[]
  noise: PatternRow[]
  enabled: boolean
  comment: string
}

/** Errors by field, as the API names them: `name`, `scope`, `redactions.0.pattern`, `noise.1`. */
export type FormErrors = Record<string, string>

let nextKey = 0

export function patternRow(pattern = '', separator = ' '): PatternRow {
  return { key: nextKey++, pattern, separator }
}

export function formFrom(filter: ConfigFilter | null): FilterForm {
  return {
    name: filter?.name ?? '',
    scope: filter?.tag ? 'tag' : 'platform',
    platform: filter?.platform ?? '',
    tag: filter?.tag ?? '',
    redactions: (filter?.redactions ?? []).map((r) => patternRow(r.pattern, r.separator ?? ' ')),
    noise: (filter?.noise ?? []).map((pattern) => patternRow(pattern)),
    enabled: filter?.enabled ?? true,
    comment: '',
  }
}

export function redactionsFrom(rows: PatternRow[]): FilterRedaction[] {
  return rows.map((row) => ({ pattern: row.pattern, separator: row.separator }))
}

export function noiseFrom(rows: PatternRow[]): string[] {
  return rows.map((row) => row.pattern)
}

export function inputFrom(form: FilterForm): ConfigFilterInput {
  return {
    name: form.name.trim(),
    platform: form.scope === 'platform' ? form.platform : null,
    tag: form.scope === 'tag' ? form.tag : null,
    redactions: redactionsFrom(form.redactions),
    noise: noiseFrom(form.noise),
    enabled: form.enabled,
    comment: form.comment.trim(),
  }
}

function patternProblem(pattern: string): string | null {
  if (!pattern) return 'Enter a pattern, or remove the row'
  if (pattern.length > MAX_PATTERN_CHARS) return `At most ${MAX_PATTERN_CHARS} characters`
  return null
}

/** What the form can tell before asking the server (which alone knows Python's regex rules). */
export function validateForm(form: FilterForm): FormErrors {
  const errors: FormErrors = {}
  if (!form.name.trim()) errors.name = 'Enter a name'
  if (form.scope === 'platform' && !form.platform) errors.scope = 'Pick a platform'
  if (form.scope === 'tag' && !form.tag) errors.scope = 'Pick a tag'
  form.redactions.forEach((row, index) => {
    const problem = patternProblem(row.pattern)
    if (problem) errors[`redactions.${index}.pattern`] = problem
  })
  form.noise.forEach((row, index) => {
    const problem = patternProblem(row.pattern)
    if (problem) errors[`noise.${index}`] = problem
  })
  return errors
}

interface FieldProblem {
  field: string
  message: string
}

/** The API's field problems by field (an empty field, the body's own check, becomes `scope`). */
export function errorsFromApi(error: ApiError): FormErrors {
  const problems = Array.isArray(error.detail) ? (error.detail as FieldProblem[]) : []
  const errors: FormErrors = {}
  for (const problem of problems) {
    if (typeof problem?.field !== 'string' || typeof problem.message !== 'string') continue
    errors[problem.field || 'scope'] = problem.message.replace(/^Value error, /, '')
  }
  return errors
}
