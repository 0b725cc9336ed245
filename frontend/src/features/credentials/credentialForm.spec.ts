import { describe, expect, it } from 'vitest'
import type { Credential } from '@/api/credentials'
import { credentialFormFrom, credentialInputFrom, validateCredentialForm } from './credentialForm'

const STORED: Credential = {
  id: 'c1',
  name: 'core',
  username: 'netops',
  priority: 20,
  tags: ['core'],
  has_enable_secret: true,
  success_count: 0,
  failure_count: 0,
  last_success_at: null,
}

describe('credential form', () => {
  it('starts an edit with the secrets empty: they are never read back', () => {
    const form = credentialFormFrom(STORED)
    expect(form).toMatchObject({ name: 'core', username: 'netops', priority: 20, password: '', enableSecret: '' })
  })

  it('needs a password to create, not to edit', () => {
    const blank = { ...credentialFormFrom(null), name: 'x', username: 'y' }
    expect(validateCredentialForm(blank, false)).toEqual({ password: 'Enter the password' })
    expect(validateCredentialForm(blank, true)).toEqual({})
    expect(validateCredentialForm({ ...blank, priority: 0 }, true).priority).toMatch(/1 \(tried first\)/)
  })

  it('leaves empty secrets out of an edit, so the stored ones stay', () => {
    const input = credentialInputFrom({ ...credentialFormFrom(STORED), priority: 5 }, true)
    expect(input).toEqual({ name: 'core', username: 'netops', priority: 5, tags: ['core'] })
  })

  it('sends a typed secret, or null to remove the enable secret', () => {
    const typed = credentialInputFrom({ ...credentialFormFrom(STORED), password: 'n3w', enableSecret: 'en' }, true)
    expect(typed).toMatchObject({ password: 'n3w', enable_secret: 'en' })
    const removed = credentialInputFrom({ ...credentialFormFrom(STORED), removeEnableSecret: true }, true)
    expect(removed.enable_secret).toBeNull()
    expect('password' in removed).toBe(false)
  })
})
