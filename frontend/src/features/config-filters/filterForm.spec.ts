import { describe, expect, it } from 'vitest'
import { ApiError } from '@/api/client'
import { errorsFromApi, formFrom, inputFrom, patternRow, validateForm } from './filterForm'

describe('filterForm', () => {
  it('sends the scope it names and nulls the other', () => {
    const form = { ...formFrom(null), name: ' edge ', scope: 'tag' as const, tag: 'edge', platform: 'cisco_ios' }
    expect(inputFrom(form)).toMatchObject({ name: 'edge', tag: 'edge', platform: null })
  })

  it('asks for a scope and for every pattern row to hold a pattern', () => {
    const form = { ...formFrom(null), name: 'x', redactions: [patternRow('(a) b'), patternRow('')], noise: [patternRow('')] }
    expect(validateForm(form)).toEqual({
      scope: 'Pick a platform',
      'redactions.1.pattern': 'Enter a pattern, or remove the row',
      'noise.0': 'Enter a pattern, or remove the row',
    })
  })

  it("puts the server's 422 on the row it names", () => {
    const error = new ApiError(422, 'invalid request', [
      { field: 'redactions.2.pattern', message: 'Value error, not a regular expression (missing ), unterminated subpattern at position 0)' },
      { field: '', message: 'Value error, scope: name exactly one of platform and tag' },
    ])
    expect(errorsFromApi(error)).toEqual({
      'redactions.2.pattern': 'not a regular expression (missing ), unterminated subpattern at position 0)',
      scope: 'scope: name exactly one of platform and tag',
    })
  })
})
