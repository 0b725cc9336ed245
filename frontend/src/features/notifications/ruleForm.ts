// The rule editor's form: which event kinds, from which severity, for devices with which tags
// (none: every device), go to which channel.
import type { EventKind, Rule, RuleInput } from '@/api/notifications'

export type Severity = RuleInput['min_severity']

export interface RuleForm {
  name: string
  channelId: string | null
  eventKinds: EventKind[]
  minSeverity: NonNullable<Severity>
  tags: string[]
  enabled: boolean
}

export type RuleErrors = Partial<Record<'name' | 'channelId' | 'eventKinds', string>>

export const EVENT_KIND_LABELS: Record<EventKind, string> = {
  config_changed: 'Config changed',
  backup_failed: 'Backup failed',
  backup_recovered: 'Backup recovered',
  host_key_changed: 'Host key changed',
  compliance_violation: 'Compliance violation',
  stale: 'No recent backup (stale)',
  mirror_failed: 'Git mirror push failed',
  mirror_recovered: 'Git mirror recovered',
  test: 'Test message',
}

export const SEVERITIES: NonNullable<Severity>[] = ['info', 'warning', 'critical']

export function ruleFormFrom(rule: Rule | null): RuleForm {
  return {
    name: rule?.name ?? '',
    channelId: rule?.channel_id ?? null,
    eventKinds: (rule?.event_kinds as EventKind[] | undefined) ?? ['backup_failed', 'config_changed'],
    minSeverity: rule?.min_severity ?? 'info',
    tags: rule?.tags ?? [],
    enabled: rule?.enabled ?? true,
  }
}

export function validateRuleForm(form: RuleForm): RuleErrors {
  const errors: RuleErrors = {}
  if (!form.name.trim()) errors.name = 'Give the rule a name'
  else if (form.name.trim().length > 100) errors.name = 'At most 100 characters'
  if (!form.channelId) errors.channelId = 'Choose the channel it sends to'
  if (!form.eventKinds.length) errors.eventKinds = 'Choose at least one kind of event'
  return errors
}

export function ruleInputFrom(form: RuleForm): RuleInput {
  return {
    name: form.name.trim(),
    channel_id: form.channelId ?? '',
    event_kinds: form.eventKinds,
    min_severity: form.minSeverity,
    tags: form.tags.map((t) => t.trim()).filter(Boolean),
    enabled: form.enabled,
  }
}
