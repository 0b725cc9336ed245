import { describe, expect, it } from 'vitest'
import type { DeviceHostKey } from '@/api/hostKeyTypes'
import { hostKeyNotice, keyTypeLabel, pinnedText } from './hostKeyText'

const key = (changes: Partial<DeviceHostKey>): DeviceHostKey => ({
  status: 'pinned',
  key_type: 'ssh-ed25519',
  fingerprint: 'SHA256:x',
  pinned_at: null,
  pinned_by: null,
  offered: null,
  ...changes,
})

describe('host key words', () => {
  it('says who pinned the key: the first session, an import, or an admin', () => {
    expect(pinnedText(key({ pinned_by: 'first use' }))).toBe('Pinned on first use, —')
    expect(pinnedText(key({ pinned_by: 'import' }))).toBe('Pinned by an import, —')
    expect(pinnedText(key({ pinned_by: 'alice' }))).toBe('Pinned — by alice')
    expect(pinnedText(key({}))).toBe('Pinned —')
  })

  it('warns loudest about a changed key, and says nothing about a pinned one', () => {
    expect(hostKeyNotice(key({ status: 'changed' }))?.severity).toBe('error')
    expect(hostKeyNotice(key({ status: 'untrusted' }))).toMatchObject({ severity: 'warn', text: expect.stringContaining('pin strictly') })
    expect(hostKeyNotice(key({ status: 'none' }))?.text).toContain('trust on first use')
    expect(hostKeyNotice(key({ status: 'pinned' }))).toBeNull()
  })

  it('names a TLS certificate key as one, and an SSH key by its algorithm', () => {
    expect(keyTypeLabel('x509-spki')).toBe('TLS certificate public key (x509-spki)')
    expect(keyTypeLabel('ssh-ed25519')).toBe('ssh-ed25519')
  })
})
