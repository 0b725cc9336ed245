import { describe, expect, it } from 'vitest'
import { validateSite } from './siteForm'

const KEY = 'SzSe7YEXJiq/zi/lb0FD9QcvGfqCCuaBJigX+hJrSUg='

describe('validateSite', () => {
  it('accepts a slug name and a 32-byte base64 key', () => {
    expect(validateSite({ name: 'branch-a', description: '', public_key: KEY })).toEqual({})
  })

  it('refuses a name that is not a slug, and "central"', () => {
    expect(validateSite({ name: 'Branch_A', description: '', public_key: KEY }).name).toContain('lowercase letter')
    expect(validateSite({ name: 'central', description: '', public_key: KEY }).name).toContain('central workers')
  })

  it('refuses a missing, malformed or short key', () => {
    expect(validateSite({ name: 'a', description: '', public_key: '' }).public_key).toContain('Paste')
    expect(validateSite({ name: 'a', description: '', public_key: '%%%%' }).public_key).toBe('Not valid base64')
    expect(validateSite({ name: 'a', description: '', public_key: 'c2hvcnQ=' }).public_key).toContain('32 bytes')
  })
})
