import { describe, expect, it } from 'vitest'
import { EVENT_KIND_LABELS, ruleFormFrom, ruleInputFrom, validateRuleForm } from './ruleForm'

describe('the rule form', () => {
  it('names what is missing', () => {
    expect(validateRuleForm({ ...ruleFormFrom(null), eventKinds: [] })).toEqual({
      name: 'Give the rule a name',
      channelId: 'Choose the channel it sends to',
      eventKinds: 'Choose at least one kind of event',
    })
  })

  it('sends trimmed names and drops empty tags', () => {
    const form = { ...ruleFormFrom(null), name: ' core ', channelId: 'c1', tags: [' dc1 ', ''] }
    expect(ruleInputFrom(form)).toEqual({
      name: 'core',
      channel_id: 'c1',
      event_kinds: ['backup_failed', 'config_changed'],
      min_severity: 'info',
      tags: ['dc1'],
      enabled: true,
    })
  })

  it('labels every event kind the API knows', () => {
    expect(Object.keys(EVENT_KIND_LABELS)).toHaveLength(9)
  })
})
