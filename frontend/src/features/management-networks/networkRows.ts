// The management networks editor's rows, the checks made before saving, and the api's refusal mapped
// to the row it is about. The api has the last word on what a valid CIDR is.
import type { ApiError } from '@/api/client'
import type { ManagementNetwork, ManagementNetworkInput } from '@/api/managementNetworks'

export interface NetworkRow {
  /** Stable across edits, for v-for. */
  key: number
  cidr: string
  description: string
}

/** Problems by row index. */
export type RowErrors = Record<number, string>

let lastKey = 0

export function emptyRow(): NetworkRow {
  return { key: ++lastKey, cidr: '', description: '' }
}

export function rowsFrom(networks: readonly ManagementNetwork[]): NetworkRow[] {
  return networks.map((n) => ({ key: ++lastKey, cidr: n.cidr, description: n.description }))
}

export function inputFrom(rows: readonly NetworkRow[]): ManagementNetworkInput[] {
  return rows.map((r) => ({ cidr: r.cidr.trim(), description: r.description.trim() }))
}

export function validateRows(rows: readonly NetworkRow[]): RowErrors {
  const errors: RowErrors = {}
  const seen = new Set<string>()
  rows.forEach((row, index) => {
    const cidr = row.cidr.trim()
    if (!cidr) errors[index] = 'Enter a network, such as 10.0.0.0/8, or remove the row.'
    else if (seen.has(cidr)) errors[index] = `${cidr} is listed twice.`
    seen.add(cidr)
  })
  return errors
}

interface FieldProblem {
  field: string
  message: string
}

function fieldProblems(detail: unknown): FieldProblem[] {
  if (!Array.isArray(detail)) return []
  return detail.filter((d): d is FieldProblem => typeof d?.field === 'string' && typeof d?.message === 'string')
}

/**
 * Put a 422 at its row: a validation list names `networks.<index>.cidr`; a refusal of one CIDR
 * ("10.0.0.1/24 has host bits set: ...") starts with it. What names no row is the message.
 */
export function rowErrorsFromApi(error: ApiError, rows: readonly NetworkRow[]): { rows: RowErrors; message: string | null } {
  const found: RowErrors = {}
  const rest: string[] = []
  const problems = error.status === 422 ? fieldProblems(error.detail) : []
  for (const { field, message } of problems) {
    const index = Number(/^networks\.(\d+)\./.exec(field)?.[1] ?? NaN)
    if (Number.isInteger(index) && index < rows.length) found[index] ??= message
    else rest.push(field ? `${field}: ${message}` : message)
  }
  if (problems.length) return { rows: found, message: rest.length ? `${error.message}: ${rest.join('; ')}` : null }
  const named = rows.findIndex((r) => r.cidr.trim() && error.message.startsWith(`${r.cidr.trim()} `))
  if (error.status === 422 && named >= 0) return { rows: { [named]: error.message }, message: null }
  return { rows: found, message: error.message }
}
