import type { ApiError } from './client'

interface FieldProblem {
  field: string
  message: string
}

function isFieldProblem(value: unknown): value is FieldProblem {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as FieldProblem).field === 'string' &&
    typeof (value as FieldProblem).message === 'string'
  )
}

/** One readable sentence for an API failure, naming each invalid field of a 422. */
export function errorText(error: ApiError): string {
  const problems = Array.isArray(error.detail) ? error.detail.filter(isFieldProblem) : []
  if (problems.length === 0) return error.message
  return `${error.message}: ${problems.map((p) => `${p.field}: ${p.message}`).join('; ')}`
}
