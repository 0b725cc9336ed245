import { describe, expect, it } from 'vitest'
import type { Channel } from '@/api/notifications'
import { channelChangesFrom, channelFormFrom, channelInputFrom, validateChannelForm } from './channelForm'

const WEBHOOK: Channel = {
  id: 'c1',
  name: 'soc',
  kind: 'webhook',
  target_display: 'https://hooks.example.net',
  has_hmac_secret: true,
  digest_minutes: 30,
  enabled: true,
  from_environment: false,
  created_at: '2026-01-01T10:00:00Z',
}

describe('the channel form', () => {
  it('needs a name and a URL of the kind chosen', () => {
    const form = { ...channelFormFrom(null), kind: 'webhook' as const, url: 'slack://a/b/c' }
    expect(validateChannelForm(form, false)).toEqual({ name: 'Give the channel a name', url: 'An http:// or https:// URL' })
    expect(validateChannelForm({ ...form, kind: 'apprise', name: 'x' }, false)).toEqual({})
  })

  it('keeps the stored URL and key on edit when left empty', () => {
    const form = channelFormFrom(WEBHOOK)
    expect(form.url).toBe('')
    expect(validateChannelForm(form, true)).toEqual({})
    expect(channelChangesFrom(form)).toEqual({ name: 'soc', digest_minutes: 30, enabled: true })
    expect(channelChangesFrom({ ...form, url: ' https://new.example/x ' }).url).toBe('https://new.example/x')
  })

  it('sends a signing key only for a webhook, and null to have one generated', () => {
    const apprise = { ...channelFormFrom(null), name: 'a', url: 'slack://a/b/c', hmacSecret: 'x'.repeat(20) }
    expect(channelInputFrom(apprise).hmac_secret).toBeNull()
    expect(channelInputFrom({ ...apprise, kind: 'webhook' }).hmac_secret).toBe('x'.repeat(20))
    expect(channelInputFrom({ ...apprise, kind: 'webhook', hmacSecret: '' }).hmac_secret).toBeNull()
  })

  it('bounds the signing key and the digest', () => {
    const form = { ...channelFormFrom(null), name: 'a', kind: 'webhook' as const, url: 'https://h.example' }
    expect(validateChannelForm({ ...form, hmacSecret: 'short', digestMinutes: 0 }, false)).toEqual({
      hmacSecret: 'From 16 to 256 characters',
      digestMinutes: 'From 1 to 10080 minutes',
    })
  })
})
