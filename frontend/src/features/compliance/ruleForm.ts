// The compliance rule editor's form. Patterns are checked again by the api (a regex that does not
// compile is refused there, naming the field); here only what a person can see at once.
import type { ComplianceRule, ComplianceRuleInput } from '@/api/compliance'

export type RuleKind = ComplianceRuleInput['kind']
export type RuleSeverity = NonNullable<ComplianceRuleInput['severity']>

export interface RuleForm {
  name: string
  description: string
  kind: RuleKind
  pattern: string
  regex: boolean
  section: string
  platforms: string[]
  tags: string[]
  severity: RuleSeverity
  enabled: boolean
}

export type RuleErrors = Partial<Record<'name' | 'pattern' | 'section', string>>

const PATTERN_MAX = 500

export function ruleFormFrom(rule: ComplianceRule | null): RuleForm {
  return {
    name: rule?.name ?? '',
    description: rule?.description ?? '',
    kind: rule?.kind ?? 'must_contain',
    pattern: rule?.pattern ?? '',
    regex: rule?.regex ?? false,
    section: rule?.section ?? '',
    platforms: [...(rule?.platforms ?? [])],
    tags: [...(rule?.tags ?? [])],
    severity: rule?.severity ?? 'warning',
    enabled: rule?.enabled ?? true,
  }
}

function regexProblem(text: string): string | null {
  try {
    new RegExp(text)
    return null
  } catch {
    return 'Not a valid regular expression'
  }
}

export function validateRuleForm(form: RuleForm): RuleErrors {
  const errors: RuleErrors = {}
  if (!form.name.trim()) errors.name = 'Give the rule a name'
  if (!form.pattern.trim()) errors.pattern = 'Enter the line (or regex) to look for'
  else if (form.pattern.length > PATTERN_MAX) errors.pattern = `At most ${PATTERN_MAX} characters`
  else if (form.regex) errors.pattern = regexProblem(form.pattern) ?? undefined
  if (form.section.trim()) {
    if (form.section.length > PATTERN_MAX) errors.section = `At most ${PATTERN_MAX} characters`
    else errors.section = regexProblem(form.section) ?? undefined
  }
  return Object.fromEntries(Object.entries(errors).filter(([, message]) => message)) as RuleErrors
}

export function ruleInputFrom(form: RuleForm): ComplianceRuleInput {
  return {
    name: form.name.trim(),
    description: form.description.trim(),
    kind: form.kind,
    pattern: form.pattern,
    regex: form.regex,
    section: form.section.trim() || null,
    platforms: form.platforms,
    tags: form.tags,
    severity: form.severity,
    enabled: form.enabled,
  }
}
