import { describe, expect, it } from 'vitest'
import { ruleFormFrom, ruleInputFrom, validateRuleForm } from './ruleForm'

describe('ruleForm', () => {
  it('asks for a name and a pattern', () => {
    expect(validateRuleForm(ruleFormFrom(null))).toEqual({
      name: 'Give the rule a name',
      pattern: 'Enter the line (or regex) to look for',
    })
  })

  it('checks a regex only when the pattern is one, and always the section', () => {
    const form = { ...ruleFormFrom(null), name: 'r', pattern: '(unclosed', section: '[x' }
    expect(validateRuleForm(form)).toEqual({ section: 'Not a valid regular expression' })
    expect(validateRuleForm({ ...form, regex: true })).toEqual({
      pattern: 'Not a valid regular expression',
      section: 'Not a valid regular expression',
    })
  })

  it('sends no section when it is blank', () => {
    const input = ruleInputFrom({ ...ruleFormFrom(null), name: ' r ', pattern: 'ip ssh version 2', section: ' ' })
    expect(input).toMatchObject({ name: 'r', pattern: 'ip ssh version 2', section: null, kind: 'must_contain' })
  })
})
