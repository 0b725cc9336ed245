import { describe, expect, it } from 'vitest'
import type { Credential } from '@/api/credentials'
import { authMethodsLabel, credentialFormFrom, credentialInputFrom, validateCredentialForm } from './credentialForm'

const STORED: Credential = {
  id: 'c1',
  name: 'core',
  username: 'netops',
  priority: 20,
  tags: ['core'],
  auth_methods: ['password'],
  private_key_type: null,
  private_key_fingerprint: null,
  has_enable_secret: true,
  success_count: 0,
  failure_count: 0,
  last_success_at: null,
}
const KEYED: Credential = {
  ...STORED,
  auth_methods: ['key', 'password'],
  private_key_type: 'ssh-ed25519',
  private_key_fingerprint: 'SHA256:abc',
}
const KEY = '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaA==\n-----END OPENSSH PRIVATE KEY-----\n'

describe('credential form', () => {
  it('starts an edit with the secrets empty: they are never read back', () => {
    const form = credentialFormFrom(KEYED)
    expect(form).toMatchObject({
      name: 'core',
      username: 'netops',
      priority: 20,
      password: '',
      privateKey: '',
      passphrase: '',
      enableSecret: '',
    })
  })

  it('needs a password or a key to create, neither to edit', () => {
    const blank = { ...credentialFormFrom(null), name: 'x', username: 'y' }
    expect(validateCredentialForm(blank, null)).toEqual({ password: 'Enter a password, a private key, or both' })
    expect(validateCredentialForm({ ...blank, privateKey: KEY }, null)).toEqual({})
    expect(validateCredentialForm({ ...blank, password: 'pw' }, null)).toEqual({})
    expect(validateCredentialForm(blank, STORED)).toEqual({})
    expect(validateCredentialForm({ ...blank, priority: 0 }, STORED).priority).toMatch(/1 \(tried first\)/)
  })

  it('refuses to remove the last secret, a public key, or a passphrase without its key', () => {
    const form = credentialFormFrom(KEYED)
    expect(validateCredentialForm({ ...form, removeKey: true }, KEYED)).toEqual({})
    expect(validateCredentialForm({ ...form, removeKey: true, removePassword: true }, KEYED).password).toMatch(
      /a password, a private key, or both/,
    )
    expect(validateCredentialForm({ ...form, privateKey: 'ssh-ed25519 AAAA me@host' }, KEYED).privateKey).toMatch(
      /not the .pub file/,
    )
    expect(validateCredentialForm({ ...form, passphrase: 'secret' }, KEYED).passphrase).toMatch(/with the key/)
  })

  it('leaves empty secrets out of an edit, so the stored ones stay', () => {
    const input = credentialInputFrom({ ...credentialFormFrom(KEYED), priority: 5 }, true)
    expect(input).toEqual({ name: 'core', username: 'netops', priority: 5, tags: ['core'] })
  })

  it('sends a typed secret, or null to remove a stored one', () => {
    const typed = credentialInputFrom({ ...credentialFormFrom(STORED), password: 'n3w', enableSecret: 'en' }, true)
    expect(typed).toMatchObject({ password: 'n3w', enable_secret: 'en' })
    const removed = credentialInputFrom({ ...credentialFormFrom(STORED), removeEnableSecret: true }, true)
    expect(removed.enable_secret).toBeNull()
    expect('password' in removed).toBe(false)
    const keyOnly = credentialInputFrom({ ...credentialFormFrom(KEYED), removePassword: true }, true)
    expect(keyOnly.password).toBeNull()
    const passwordOnly = credentialInputFrom({ ...credentialFormFrom(KEYED), removeKey: true }, true)
    expect(passwordOnly.private_key).toBeNull()
  })

  it('sends a new key with its passphrase, or null for none', () => {
    const created = credentialInputFrom({ ...credentialFormFrom(null), privateKey: KEY, passphrase: 'pp' }, false)
    expect(created).toMatchObject({ private_key: KEY, private_key_passphrase: 'pp' })
    expect('password' in created).toBe(false)
    const plain = credentialInputFrom({ ...credentialFormFrom(KEYED), privateKey: KEY }, true)
    expect(plain).toMatchObject({ private_key: KEY, private_key_passphrase: null })
  })

  it('names the login methods for the list', () => {
    expect(authMethodsLabel(KEYED)).toBe('Key + Password')
    expect(authMethodsLabel(STORED)).toBe('Password')
  })
})
