import { describe, expect, it } from 'vitest'
import { jumpHostFormFrom, jumpHostInputFrom, validateJumpHostForm } from './jumpHostForm'

const KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHk0'

describe('the jump host form', () => {
  it('requires a pasted host key when a jump host is created', () => {
    const form = { ...jumpHostFormFrom(null), name: 'b1', address: '10.0.0.5', credentialId: 'c1' }
    expect(validateJumpHostForm(form, false).hostKey).toMatch(/never trusted on first use/)
    expect(validateJumpHostForm(form, true).hostKey).toBeUndefined()
  })

  it('accepts a known_hosts line and ssh-keyscan output, and refuses other text', () => {
    const form = { ...jumpHostFormFrom(null), name: 'b1', address: '10.0.0.5', credentialId: 'c1' }
    expect(validateJumpHostForm({ ...form, hostKey: `10.0.0.5 ${KEY}` }, false)).toEqual({})
    expect(validateJumpHostForm({ ...form, hostKey: `# 10.0.0.5:22 SSH-2.0\n[10.0.0.5]:2222 ${KEY}` }, false)).toEqual({})
    expect(validateJumpHostForm({ ...form, hostKey: 'SHA256:abc' }, false).hostKey).toMatch(/ssh-keyscan/)
  })

  it('leaves an empty host key out of an edit', () => {
    const form = { ...jumpHostFormFrom(null), name: ' b1 ', address: 'bastion.example.net', credentialId: 'c1' }
    expect(jumpHostInputFrom(form)).toEqual({
      name: 'b1',
      address: 'bastion.example.net',
      port: 22,
      credential_id: 'c1',
    })
  })
})
